package store

import (
	"path/filepath"
	"runtime"
	"testing"
)

func TestDefaultDataDir(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("follows os.UserConfigDir here")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "")
	if got, err := DefaultDataDir(); err != nil || got != filepath.Join(home, ".local/share/talentbot") {
		t.Errorf("without XDG_DATA_HOME: %q, %v", got, err)
	}
	t.Setenv("XDG_DATA_HOME", "/srv/data")
	if got, _ := DefaultDataDir(); got != "/srv/data/talentbot" {
		t.Errorf("with XDG_DATA_HOME: %q", got)
	}
	t.Setenv("XDG_DATA_HOME", "relative/ignored")
	if got, _ := DefaultDataDir(); got != filepath.Join(home, ".local/share/talentbot") {
		t.Errorf("relative XDG_DATA_HOME is not ignored: %q", got)
	}
}
