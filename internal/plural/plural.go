// Package plural spells counts in messages: "1 instance", "2 instances".
package plural

import "strconv"

// Count returns n followed by singular when n is 1 (or -1), else by plural.
func Count(n int, singular, plural string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + singular
	}
	return strconv.Itoa(n) + " " + plural
}
