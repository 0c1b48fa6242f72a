package workbench_test

import (
	"fmt"
	"io/fs"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/hotro-vn/hotro/workbench"
)

// A program that serves rules mounts the workbench beside its API; here
// over the embedded NQ 179 rule sets, with drafts in a temporary workspace.
func Example() {
	lib, err := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	if err != nil {
		panic(err)
	}
	ws, _ := os.MkdirTemp("", "workspace")
	defer os.RemoveAll(ws)
	wb, err := workbench.New(workbench.Options{
		InForce:   func() (*rules.Library, fs.FS) { return lib, rulesets.FS },
		Workspace: ws,
	})
	if err != nil {
		panic(err)
	}
	req := httptest.NewRequest("GET", "/bo-quy-tac/hatinh-nq179-2020-2025", nil)
	req.RemoteAddr, req.Host = "127.0.0.1:50000", "127.0.0.1:8080" // served to this machine only
	rec := httptest.NewRecorder()
	wb.ServeHTTP(rec, req)
	fmt.Println(rec.Code, strings.Contains(rec.Body.String(), "Chuẩn nghèo về thu nhập"))
	// Output: 200 true
}
