import ArgumentParser
import Glibc

/// Prints one line to stderr and exits with status 1: how every command reports bad input.
func fail(_ message: String) -> ExitCode {
    var line = "xcomposer: " + message + "\n"
    line.withUTF8 { bytes in _ = fwrite(bytes.baseAddress, 1, bytes.count, stderr) }
    return ExitCode(1)
}

/// Writes text to stdout immediately (generation streams piece by piece).
func writeOut(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = fwrite(bytes.baseAddress, 1, bytes.count, stdout) }
    fflush(stdout)
}

/// Writes a line to stderr.
func writeErr(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { bytes in _ = fwrite(bytes.baseAddress, 1, bytes.count, stderr) }
}
