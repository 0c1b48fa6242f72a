//go:build windows

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Started with no arguments (a double click in Explorer), hotro on Windows
// serves the workbench on a free loopback port, keeps drafts in
// %USERPROFILE%\hotro-workspace, and opens the workbench in the browser.
func init() {
	if len(os.Args) != 1 {
		return
	}
	ws := "hotro-workspace"
	if home, err := os.UserHomeDir(); err == nil {
		ws = filepath.Join(home, "hotro-workspace")
	}
	addrFile := filepath.Join(os.TempDir(), "hotro-workbench-addr.txt")
	_ = os.Remove(addrFile)
	os.Args = append(os.Args, "serve", "--addr", "127.0.0.1:0", "--addr-file", addrFile, "--workspace", ws)
	go func() {
		for range 600 { // the server writes the file once it listens; give up after a minute
			if b, err := os.ReadFile(addrFile); err == nil && len(strings.TrimSpace(string(b))) > 0 {
				_ = exec.Command("rundll32", "url.dll,FileProtocolHandler", "http://"+strings.TrimSpace(string(b))+"/").Start()
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
}
