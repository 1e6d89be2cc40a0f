package highs

import (
	"context"
	"fmt"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
)

// The emscripten runtime that build/highs.js provides in JavaScript, redone
// in Go. There is no file system: only stdout/stderr exist, and they go to
// the caller's log writer.

// WASI errno values (the emscripten syscalls return them negated).
const (
	errnoSuccess = 0
	errnoBadf    = 8
	errnoInval   = 28
	errnoNoent   = 44
	errnoSpipe   = 70
)

// trapError reports that the wasm aborted, threw or trapped; the instance
// that raised it is discarded.
type trapError struct{ msg string }

func (e *trapError) Error() string { return e.msg }

// errStopped unwinds the wasm from a host function once the solve's context
// has ended; the instance is then discarded like after any trap.
var errStopped = &trapError{"highs: stopped because the context ended"}

// stopIfDone is called by the host functions HiGHS uses while it works: the
// clocks (it reads them thousands of times a second in simplex and branch
// and bound, though not at all in some long phases, such as passing a large
// model), heap growth and log writes. Once ctx is done it unwinds the wasm,
// which stops the computation at its next such call.
func stopIfDone(ctx context.Context) {
	select {
	case <-ctx.Done():
		panic(errStopped)
	default:
	}
}

// instKey carries the calling instance through wazero's context so that host
// functions, registered once per runtime, reach the right Solver's state.
type instKey struct{}

func callerOf(ctx context.Context) *instance {
	in, _ := ctx.Value(instKey{}).(*instance)
	return in
}

var processStart = time.Now()

type hostFunc struct {
	cName string
	sig   sig
	fn    api.GoModuleFunc
}

// hostFuncs maps the minified import names of highs@1.15.3 (build/highs.js:
// `var wasmImports={a:___cxa_throw,...}`) to Go implementations.
var hostFuncs = map[string]hostFunc{
	"a": {"__cxa_throw", fn(v(i32, i32, i32)), func(ctx context.Context, m api.Module, s []uint64) {
		// Built without exception catching: a C++ throw can only abort.
		panic(&trapError{"highs: HiGHS threw a C++ exception (abort)"})
	}},
	"b": {"_exit", fn(v(i32)), func(ctx context.Context, m api.Module, s []uint64) {
		panic(sys.NewExitError(api.DecodeU32(s[0])))
	}},
	"c": {"emscripten_get_now", fn(nil, f64), func(ctx context.Context, m api.Module, s []uint64) {
		stopIfDone(ctx)
		s[0] = api.EncodeF64(float64(time.Since(processStart).Nanoseconds()) / 1e6)
	}},
	"d": {"fd_close", fn(v(i32), i32), func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = errno(stdFD(s[0]), errnoSuccess, errnoBadf)
	}},
	"e": {"__syscall_fcntl64", fn(v(i32, i32, i32), i32), func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = errno(stdFD(s[0]), 0, -errnoBadf)
	}},
	"f": {"fd_write", fn(v(i32, i32, i32, i32), i32), fdWrite},
	"g": {"fd_read", fn(v(i32, i32, i32, i32), i32), func(ctx context.Context, m api.Module, s []uint64) {
		if api.DecodeU32(s[0]) != 0 {
			s[0] = errnoBadf
			return
		}
		// stdin is empty: report end of file.
		mustWrite(m.Memory().WriteUint32Le(api.DecodeU32(s[3]), 0))
		s[0] = errnoSuccess
	}},
	"h": {"__syscall_ioctl", fn(v(i32, i32, i32), i32), func(ctx context.Context, m api.Module, s []uint64) {
		if !stdFD(s[0]) {
			s[0] = api.EncodeI32(-errnoBadf)
			return
		}
		// Claim stdout/stderr are terminals so musl line-buffers them: each
		// log line reaches the writer during the solve that produced it.
		const tiocgwinsz = 21523
		if api.DecodeU32(s[1]) == tiocgwinsz {
			if argp, ok := m.Memory().ReadUint32Le(api.DecodeU32(s[2])); ok {
				m.Memory().WriteUint16Le(argp, 24)
				m.Memory().WriteUint16Le(argp+2, 80)
			}
		}
		s[0] = 0
	}},
	"i": {"__syscall_openat", fn(v(i32, i32, i32, i32), i32), func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = api.EncodeI32(-errnoNoent) // no file system
	}},
	"j": {"emscripten_date_now", fn(nil, f64), func(ctx context.Context, m api.Module, s []uint64) {
		stopIfDone(ctx)
		s[0] = api.EncodeF64(float64(time.Now().UnixNano()) / 1e6)
	}},
	"k": {"_abort_js", fn(nil), func(ctx context.Context, m api.Module, s []uint64) {
		panic(&trapError{"highs: HiGHS called abort()"})
	}},
	"l": {"_setitimer_js", fn(v(i32, f64), i32), func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = 0 // timers are never delivered; HiGHS stops on time_limit itself
	}},
	"m": {"_tzset_js", fn(v(i32, i32, i32, i32)), func(ctx context.Context, m api.Module, s []uint64) {
		mem := m.Memory()
		mustWrite(mem.WriteUint32Le(api.DecodeU32(s[0]), 0))
		mustWrite(mem.WriteUint32Le(api.DecodeU32(s[1]), 0))
		mustWrite(mem.Write(api.DecodeU32(s[2]), []byte("UTC\x00")))
		mustWrite(mem.Write(api.DecodeU32(s[3]), []byte("UTC\x00")))
	}},
	"n": {"environ_get", fn(v(i32, i32), i32), func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = errnoSuccess // empty environment
	}},
	"o": {"environ_sizes_get", fn(v(i32, i32), i32), func(ctx context.Context, m api.Module, s []uint64) {
		mustWrite(m.Memory().WriteUint32Le(api.DecodeU32(s[0]), 0))
		mustWrite(m.Memory().WriteUint32Le(api.DecodeU32(s[1]), 0))
		s[0] = errnoSuccess
	}},
	"p": {"clock_time_get", fn(v(i32, i64, i32), i32), func(ctx context.Context, m api.Module, s []uint64) {
		stopIfDone(ctx)
		var ns int64
		switch api.DecodeU32(s[0]) {
		case 0: // realtime
			ns = time.Now().UnixNano()
		case 1, 2, 3: // monotonic, process and thread CPU time (as emscripten does)
			ns = time.Since(processStart).Nanoseconds()
		default:
			s[0] = errnoInval
			return
		}
		mustWrite(m.Memory().WriteUint64Le(api.DecodeU32(s[2]), uint64(ns)))
		s[0] = errnoSuccess
	}},
	"q": {"emscripten_resize_heap", fn(v(i32), i32), resizeHeap},
	"r": {"proc_exit", fn(v(i32)), func(ctx context.Context, m api.Module, s []uint64) {
		panic(sys.NewExitError(api.DecodeU32(s[0])))
	}},
	"s": {"_emscripten_runtime_keepalive_clear", fn(nil), func(ctx context.Context, m api.Module, s []uint64) {}},
	"t": {"fd_seek", fn(v(i32, i64, i32, i32), i32), func(ctx context.Context, m api.Module, s []uint64) {
		s[0] = errno(stdFD(s[0]), errnoSpipe, errnoBadf)
	}},
}

func instantiateHost(ctx context.Context, rt wazero.Runtime) error {
	b := rt.NewHostModuleBuilder("a")
	for name, h := range hostFuncs {
		b.NewFunctionBuilder().WithName(h.cName).WithGoModuleFunction(h.fn, h.sig.params, h.sig.results).Export(name)
	}
	_, err := b.Instantiate(ctx)
	return err
}

func stdFD(x uint64) bool { return api.DecodeU32(x) <= 2 }

func errno(ok bool, yes, no int32) uint64 {
	if ok {
		return api.EncodeI32(yes)
	}
	return api.EncodeI32(no)
}

// mustWrite turns an out-of-range pointer from the wasm into a trap.
func mustWrite(ok bool) {
	if !ok {
		panic(&trapError{"highs: wasm passed an out-of-range pointer to the runtime"})
	}
}

func fdWrite(ctx context.Context, m api.Module, s []uint64) {
	fd, iov, iovcnt, pnum := api.DecodeU32(s[0]), api.DecodeU32(s[1]), api.DecodeU32(s[2]), api.DecodeU32(s[3])
	if fd != 1 && fd != 2 {
		s[0] = errnoBadf
		return
	}
	mem := m.Memory()
	in := callerOf(ctx)
	if in != nil {
		// Held while writing, so that a Solve that gives up on this
		// instance (see Solver.Solve) returns only once no write is in
		// progress; every later write stops here, as its context is done.
		in.logMu.Lock()
		defer in.logMu.Unlock()
	}
	stopIfDone(ctx)
	var total uint32
	for i := uint32(0); i < iovcnt; i++ {
		ptr, ok1 := mem.ReadUint32Le(iov + 8*i)
		n, ok2 := mem.ReadUint32Le(iov + 8*i + 4)
		mustWrite(ok1 && ok2)
		if n == 0 {
			continue
		}
		buf, ok := mem.Read(ptr, n)
		mustWrite(ok)
		if in != nil && in.log != nil {
			// Log write errors are ignored: a broken log must not fail the solve.
			_, _ = in.log.Write(buf)
		}
		total += n
	}
	mustWrite(mem.WriteUint32Le(pnum, total))
	s[0] = errnoSuccess
}

// resizeHeap grows linear memory like emscripten's JS: overgrow by up to
// 20% to amortise, never beyond 2 GiB; 0 tells malloc it failed.
func resizeHeap(ctx context.Context, m api.Module, s []uint64) {
	stopIfDone(ctx)
	mem := m.Memory()
	oldSize := uint64(mem.Size())
	req := uint64(api.DecodeU32(s[0]))
	const heapMax = uint64(maxPages) * 65536
	s[0] = 0
	if req > heapMax {
		return
	}
	for cutDown := 1.0; cutDown <= 4; cutDown *= 2 {
		over := uint64(float64(oldSize) * (1 + 0.2/cutDown))
		over = min(over, req+96<<20)
		newSize := min(heapMax, alignUp(max(req, over), 65536))
		if newSize <= oldSize {
			s[0] = 1
			return
		}
		if _, ok := mem.Grow(uint32((newSize - oldSize) / 65536)); ok {
			s[0] = 1
			return
		}
	}
}

func alignUp(x, a uint64) uint64 { return (x + a - 1) / a * a }

// describe renders a value recovered from a panic for an error message.
func describe(r any) string {
	if e, ok := r.(error); ok {
		return e.Error()
	}
	return fmt.Sprint(r)
}
