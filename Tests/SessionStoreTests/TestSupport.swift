import AppCore
import Foundation
import SessionStore

/// A fresh folder under the system temporary folder, removed by `cleanUp()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "SessionStoreTests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs SQL on a database file with Python's sqlite3 module: an inspector independent of the
/// code under test. Returns the rows, one per line, columns joined by "|".
func pythonSQLite(_ path: String, _ sql: String) throws -> String {
    let process = Process()
    // python3 from PATH: it may come from pyenv rather than Debian.
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let script = """
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        rows = db.executescript(sys.argv[2]) if sys.argv[3] == "script" else db.execute(sys.argv[2])
        for row in (rows.fetchall() if sys.argv[3] != "script" else []):
            print("|".join(str(value) for value in row))
        db.commit()
        """
    let mode = sql.contains(";") ? "script" : "query"
    process.arguments = ["python3", "-c", script, path, sql, mode]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "python sqlite3 failed: \(sql)"])
    }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
}

/// A session with every entry kind and completion, images included (one with a unicode path).
func sampleSnapshot(id: Int64? = nil, title: String = "Cats", updatedAt: Double = 1_700_000_100) -> SessionSnapshot {
    SessionSnapshot(
        id: id,
        title: title,
        createdAt: 1_700_000_000,
        updatedAt: updatedAt,
        modelName: "SmolLM2-135M",
        systemPrompt: "Be brief.",
        entries: [
            TranscriptEntry(kind: .user, text: "What is this?\nSecond line", images: [
                AttachedImage(path: "/photos/été/猫 cat.png", width: 640, height: 480),
                AttachedImage(path: "/photos/dog.jpg", width: 20, height: 10),
            ]),
            TranscriptEntry(kind: .assistant, text: "A cat and a dog.", completion: .finished),
            TranscriptEntry(kind: .notice, text: "Model loaded."),
            TranscriptEntry(kind: .user, text: "Tell me more 🐈"),
            TranscriptEntry(kind: .assistant, text: "It is", completion: .stopped),
            TranscriptEntry(kind: .error, text: "Out of memory", completion: .failed("allocation of 3 GB failed")),
            TranscriptEntry(kind: .assistant, text: "", completion: .failed("")),
        ])
}
