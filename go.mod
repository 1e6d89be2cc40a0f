module github.com/nashbench/nashbench

go 1.26.0

require (
	github.com/crillab/gophersat v1.4.0
	github.com/stretchr/testify v1.12.1
	github.com/tetratelabs/wazero v1.12.0
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.48.0 // indirect
)
