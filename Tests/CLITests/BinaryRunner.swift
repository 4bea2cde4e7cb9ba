import Foundation
import LanguageModels
import Testing

/// Every test that runs the built binary, one at a time: each blocks its thread while the binary
/// runs, and on 2 cores two at once would starve the asynchronous tests of the other targets.
@Suite(.serialized) enum BinaryTests {}

/// Runs the built `xcomposer` binary the way a user or a script would.
enum BinaryRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$XCOMPOSER_BIN`, else the release build, else the debug build.
    static var binaryPath: String? {
        if let path = ProcessInfo.processInfo.environment["XCOMPOSER_BIN"] { return path }
        for configuration in ["release", "debug"] {
            let path = repositoryRoot.appendingPathComponent(".build/\(configuration)/xcomposer").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static var available: Bool { binaryPath != nil }
    static var defaultModelPresent: Bool { FileManager.default.fileExists(atPath: ModelLoader.defaultModelPath) }

    /// Runs the binary with `arguments`; `shellArguments` is spliced into a /bin/sh command line
    /// instead when the test needs bytes a Swift String cannot hold (invalid UTF-8).
    static func run(_ arguments: [String], shellArguments: String? = nil, timeout: TimeInterval = 120) throws -> Result {
        let process = Process()
        let binary = binaryPath!
        if let shellArguments {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec '\(binary)' \(shellArguments)"]
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        // Read while running so a chatty process cannot block on a full pipe.
        let outBox = DataBox(), errBox = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outBox.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        group.wait()
        let outData = outBox.data, errData = errBox.data
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Written by one reader thread, read after `DispatchGroup.wait()` establishes the ordering.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
