package testsupport

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill cmd when the thread that started it
// ends, so a test binary that exits without StopS3 leaves no server behind.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
