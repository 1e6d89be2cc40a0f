package highs

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
	f64 = api.ValueTypeF64

	// maxPages caps linear memory at 2 GiB, the limit the emscripten build
	// declares (HiGHS pointers are 32-bit and signed in places).
	maxPages = 32768
)

type sig struct {
	params, results []api.ValueType
}

func fn(params []api.ValueType, results ...api.ValueType) sig { return sig{params, results} }

func v(ts ...api.ValueType) []api.ValueType { return ts }

// exportSigs lists every export this package calls, by its minified name in
// highs@1.15.3 (from build/highs.js: `_Highs_x=Module["_Highs_x"]=wasmExports["y"]`).
var exportSigs = map[string]struct {
	cName string
	sig   sig
}{
	"v":  {"__wasm_call_ctors", fn(nil)},
	"uc": {"malloc", fn(v(i32), i32)},
	"tc": {"free", fn(v(i32))},
	"F":  {"Highs_create", fn(nil, i32)},
	"G":  {"Highs_destroy", fn(v(i32))},
	"H":  {"Highs_version", fn(nil, i32)},
	"V":  {"Highs_passMip", fn(v(i32, i32, i32, i32, i32, i32, f64, i32, i32, i32, i32, i32, i32, i32, i32, i32), i32)},
	"N":  {"Highs_run", fn(v(i32), i32)},
	"ia": {"Highs_setBoolOptionValue", fn(v(i32, i32, i32), i32)},
	"ja": {"Highs_setIntOptionValue", fn(v(i32, i32, i32), i32)},
	"ka": {"Highs_setDoubleOptionValue", fn(v(i32, i32, f64), i32)},
	"la": {"Highs_setStringOptionValue", fn(v(i32, i32, i32), i32)},
	"Aa": {"Highs_getIntInfoValue", fn(v(i32, i32, i32), i32)},
	"Ba": {"Highs_getDoubleInfoValue", fn(v(i32, i32, i32), i32)},
	"Ca": {"Highs_getInt64InfoValue", fn(v(i32, i32, i32), i32)},
	"Ea": {"Highs_getSolution", fn(v(i32, i32, i32, i32, i32), i32)},
	"Ga": {"Highs_getModelStatus", fn(v(i32), i32)},
	"Ka": {"Highs_getObjectiveValue", fn(v(i32), f64)},
	"Xb": {"Highs_getInfinity", fn(v(i32), f64)},
	"Yb": {"Highs_getSizeofHighsInt", fn(v(i32), i32)},
	"_a": {"Highs_getRunTime", fn(v(i32), f64)},
}

// engine is the process-wide runtime plus the compiled HiGHS module. Every
// Solver instantiates from it, so the multi-second compile happens once.
type engine struct {
	rt wazero.Runtime
	cm wazero.CompiledModule
}

var shared struct {
	mu  sync.Mutex
	eng *engine
}

// getEngine returns the shared engine, building it on first use. Unlike
// sync.Once, a failure is not remembered: provisioning can fail for
// transient reasons (network, npm), and a later call should retry. Success
// is kept for the life of the process; the compiled module is immutable.
func getEngine(ctx context.Context) (*engine, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.eng != nil {
		return shared.eng, nil
	}
	e, err := newEngine(ctx)
	if err != nil {
		return nil, err
	}
	shared.eng = e
	return e, nil
}

func newEngine(ctx context.Context) (*engine, error) {
	wasm, err := loadWasm(ctx)
	if err != nil {
		return nil, err
	}
	cfg := wazero.NewRuntimeConfig().WithMemoryLimitPages(maxPages)
	if dir, err := cacheDir(); err == nil && wazeroVersion() != "" {
		// Without a usable cache dir we still work, just compile every run.
		if cc, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "wazero", wazeroVersion())); err == nil {
			cfg = cfg.WithCompilationCache(cc)
		}
	}
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	ok := false
	defer func() {
		if !ok {
			rt.Close(ctx)
		}
	}()
	cm, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		return nil, fmt.Errorf("highs: compiling highs.wasm: %w", err)
	}
	if err := checkSignatures(cm); err != nil {
		return nil, err
	}
	if err := instantiateHost(ctx, rt); err != nil {
		return nil, fmt.Errorf("highs: host module: %w", err)
	}
	ok = true
	return &engine{rt: rt, cm: cm}, nil
}

// wazeroModVersion must match go.mod (a test checks it).
const wazeroModVersion = "v1.12.0"

// wazeroVersion keys the compilation cache directory. wazero keys its own
// cache by the version in the binary's build info, but test binaries carry
// none ("dev"), so without this a wazero upgrade could load stale code.
func wazeroVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/tetratelabs/wazero" && d.Version != "" {
				if d.Replace != nil {
					return "" // a local or forked wazero: do not cache its code
				}
				return d.Version
			}
		}
	}
	return wazeroModVersion
}

// checkSignatures makes a different build fail loudly at load time instead
// of calling the wrong minified function later.
func checkSignatures(cm wazero.CompiledModule) error {
	imps := cm.ImportedFunctions()
	if len(imps) != len(hostFuncs) {
		return fmt.Errorf("highs: wasm imports %d functions, want %d: not the %s build", len(imps), len(hostFuncs), npmPackage)
	}
	for _, d := range imps {
		mod, name, _ := d.Import()
		h, ok := hostFuncs[name]
		if mod != "a" || !ok {
			return fmt.Errorf("highs: unexpected wasm import %s.%s: not the %s build", mod, name, npmPackage)
		}
		if err := sameSig(d, h.sig); err != nil {
			return fmt.Errorf("highs: import a.%s (%s): %w", name, h.cName, err)
		}
	}
	if len(cm.ImportedMemories()) != 0 {
		return fmt.Errorf("highs: wasm imports a memory: not the %s build", npmPackage)
	}
	exps := cm.ExportedFunctions()
	for name, want := range exportSigs {
		d, ok := exps[name]
		if !ok {
			return fmt.Errorf("highs: wasm lacks export %q (%s): not the %s build", name, want.cName, npmPackage)
		}
		if err := sameSig(d, want.sig); err != nil {
			return fmt.Errorf("highs: export %q (%s): %w", name, want.cName, err)
		}
	}
	if _, ok := cm.ExportedMemories()["u"]; !ok {
		return fmt.Errorf("highs: wasm lacks memory export \"u\": not the %s build", npmPackage)
	}
	return nil
}

func sameSig(d api.FunctionDefinition, want sig) error {
	if !sameTypes(d.ParamTypes(), want.params) || !sameTypes(d.ResultTypes(), want.results) {
		return fmt.Errorf("signature %s -> %s, want %s -> %s (not the %s build)",
			typeNames(d.ParamTypes()), typeNames(d.ResultTypes()), typeNames(want.params), typeNames(want.results), npmPackage)
	}
	return nil
}

func sameTypes(a, b []api.ValueType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func typeNames(ts []api.ValueType) string {
	s := "("
	for i, t := range ts {
		if i > 0 {
			s += ","
		}
		s += api.ValueTypeName(t)
	}
	return s + ")"
}
