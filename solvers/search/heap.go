package search

// varHeap is a binary max-heap of players by activity, with positions for
// updates in place.
type varHeap struct {
	act  []float64
	heap []int32
	pos  []int32 // -1 when absent
}

func (h *varHeap) init(act []float64) {
	h.act = act
	h.pos = make([]int32, len(act))
	for i := range h.pos {
		h.pos[i] = -1
	}
}

func (h *varHeap) len() int         { return len(h.heap) }
func (h *varHeap) has(v int32) bool { return h.pos[v] >= 0 }

// less orders by activity, then by index, so that ties break the same way
// on every run.
func (h *varHeap) less(a, b int32) bool {
	if h.act[a] != h.act[b] {
		return h.act[a] > h.act[b]
	}
	return a < b
}

func (h *varHeap) push(v int32) {
	h.pos[v] = int32(len(h.heap))
	h.heap = append(h.heap, v)
	h.up(v)
}

func (h *varHeap) up(v int32) {
	i := h.pos[v]
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(v, h.heap[p]) {
			break
		}
		h.heap[i] = h.heap[p]
		h.pos[h.heap[i]] = i
		i = p
	}
	h.heap[i] = v
	h.pos[v] = i
}

func (h *varHeap) pop() int32 {
	top := h.heap[0]
	last := h.heap[len(h.heap)-1]
	h.heap = h.heap[:len(h.heap)-1]
	h.pos[top] = -1
	if len(h.heap) > 0 {
		h.heap[0] = last
		h.pos[last] = 0
		h.down(last)
	}
	return top
}

func (h *varHeap) down(v int32) {
	i := h.pos[v]
	n := int32(len(h.heap))
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h.less(h.heap[c+1], h.heap[c]) {
			c++
		}
		if !h.less(h.heap[c], v) {
			break
		}
		h.heap[i] = h.heap[c]
		h.pos[h.heap[i]] = i
		i = c
	}
	h.heap[i] = v
	h.pos[v] = i
}
