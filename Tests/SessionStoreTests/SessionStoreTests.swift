import AppCore
import Foundation
@testable import SessionStore
import Testing

@Suite struct SessionStoreTests {
    @Test func roundTripKeepsEveryKindCompletionAndImage() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = try SessionStore.open(path: folder.path + "/db.sqlite")
        let snapshot = sampleSnapshot()
        let id = try store.save(snapshot)
        var expected = snapshot
        expected.id = id
        #expect(try store.load(id: id) == expected)
    }

    @Test func nilOptionalsAndEmptySessionRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = try SessionStore.open(path: folder.path + "/db.sqlite")
        let snapshot = SessionSnapshot(title: "", createdAt: 1.5, updatedAt: 2.25, entries: [])
        let id = try store.save(snapshot)
        let loaded = try store.load(id: id)
        #expect(loaded.modelName == nil)
        #expect(loaded.systemPrompt == nil)
        #expect(loaded.entries.isEmpty)
        #expect(loaded.createdAt == 1.5 && loaded.updatedAt == 2.25)
    }

    @Test func theDraftIsSavedAndTheFirstCreationTimeKept() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = try SessionStore.open(path: folder.path + "/db.sqlite")
        var snapshot = SessionSnapshot(title: "t", createdAt: 100, updatedAt: 100, entries: [],
                                       draft: "half a question, \"quoted\" and 日本語\nsecond line")
        let id = try store.save(snapshot)
        #expect(try store.load(id: id).draft == snapshot.draft)
        // An autosave stamps both times with "now"; the session keeps when it was first made.
        snapshot.id = id
        snapshot.createdAt = 500
        snapshot.updatedAt = 500
        snapshot.draft = ""
        try store.save(snapshot)
        let loaded = try store.load(id: id)
        #expect(loaded.createdAt == 100 && loaded.updatedAt == 500 && loaded.draft.isEmpty)
    }

    @Test func reopeningTheFileKeepsSessions() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/db.sqlite"
        let id = try SessionStore.open(path: path).save(sampleSnapshot())
        let reopened = try SessionStore.open(path: path)
        #expect(try reopened.load(id: id).entries == sampleSnapshot().entries)
    }

    @Test func resavingTheSameIDReplacesWithoutDuplicates() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/db.sqlite"
        let store = try SessionStore.open(path: path)
        let id = try store.save(sampleSnapshot())
        var changed = sampleSnapshot(id: id, title: "Renamed", updatedAt: 1_700_000_500)
        changed.entries = [TranscriptEntry(kind: .user, text: "only one", images: [
            AttachedImage(path: "/a.png", width: 1, height: 2),
        ])]
        #expect(try store.save(changed) == id)
        #expect(try store.load(id: id) == changed)
        #expect(try store.list().count == 1)
        #expect(try pythonSQLite(path, "SELECT COUNT(*) FROM entry") == "1")
        #expect(try pythonSQLite(path, "SELECT COUNT(*) FROM entry_image") == "1")
    }

    @Test func savingADeletedIDCreatesItAgain() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = try SessionStore.open(path: folder.path + "/db.sqlite")
        let id = try store.save(sampleSnapshot())
        try store.delete(id: id)
        #expect(try store.save(sampleSnapshot(id: id)) == id)
        #expect(try store.load(id: id).entries.count == sampleSnapshot().entries.count)
    }

    @Test func streamingEntriesAreSavedAsStopped() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/db.sqlite"
        let store = try SessionStore.open(path: path)
        let snapshot = SessionSnapshot(title: "t", createdAt: 0, updatedAt: 0, entries: [
            TranscriptEntry(kind: .user, text: "hi"),
            TranscriptEntry(kind: .assistant, text: "Hal", completion: .streaming),
        ])
        let id = try store.save(snapshot)
        let loaded = try store.load(id: id)
        #expect(loaded.entries[1] == TranscriptEntry(kind: .assistant, text: "Hal", completion: .stopped))
        #expect(try pythonSQLite(path, "SELECT completion FROM entry WHERE position = 1") == "stopped")
    }

    @Test func listIsNewestFirstWithTurnCountsAndLimit() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = try SessionStore.open(path: folder.path + "/db.sqlite")
        let old = try store.save(sampleSnapshot(title: "old", updatedAt: 100))
        let newest = try store.save(SessionSnapshot(
            title: "newest", createdAt: 0, updatedAt: 300, modelName: nil,
            entries: [TranscriptEntry(kind: .user, text: "x"), TranscriptEntry(kind: .notice, text: "n")]))
        let middle = try store.save(sampleSnapshot(title: "middle", updatedAt: 200))
        let all = try store.list()
        #expect(all.map(\.id) == [newest, middle, old])
        #expect(all.map(\.title) == ["newest", "middle", "old"])
        // The sample has two user messages; "newest" has one.
        #expect(all.map(\.turnCount) == [1, 2, 2])
        #expect(all.map(\.modelName) == [nil, "SmolLM2-135M", "SmolLM2-135M"])
        #expect(all.map(\.updatedAt) == [300, 200, 100])
        #expect(try store.list(limit: 2).map(\.id) == [newest, middle])
        #expect(try store.list(limit: 0).isEmpty)
        #expect(try store.list(limit: -5).isEmpty)
        #expect(try store.mostRecent()?.title == "newest")
    }

    @Test func mostRecentOfAnEmptyStoreIsNil() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = try SessionStore.open(path: folder.path + "/db.sqlite")
        #expect(try store.mostRecent() == nil)
        #expect(try store.list().isEmpty)
    }

    @Test func deleteCascadesToEntriesAndImages() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/db.sqlite"
        let store = try SessionStore.open(path: path)
        let gone = try store.save(sampleSnapshot(title: "gone"))
        let kept = try store.save(sampleSnapshot(title: "kept"))
        #expect(try pythonSQLite(path, "SELECT COUNT(*) FROM entry_image") == "4")
        try store.delete(id: gone)
        #expect(try store.list().map(\.id) == [kept])
        #expect(try pythonSQLite(path, "SELECT COUNT(*) FROM entry WHERE session_id = \(gone)") == "0")
        #expect(try pythonSQLite(path, "SELECT COUNT(*) FROM entry") == "\(sampleSnapshot().entries.count)")
        #expect(try pythonSQLite(path, "SELECT COUNT(*) FROM entry_image") == "2")
        #expect(throws: SessionStoreError.self) { try store.load(id: gone) }
        try store.delete(id: gone)  // already gone: no error
    }

    @Test func loadingAMissingIDNamesTheFileAndID() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/db.sqlite"
        let store = try SessionStore.open(path: path)
        let error = #expect(throws: SessionStoreError.self) { try store.load(id: 42) }
        #expect(error?.description == "\(path): no saved session with id 42")
    }

    @Test func aFailedSaveLeavesThePreviousVersion() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/db.sqlite"
        let id = try SessionStore.open(path: path).save(sampleSnapshot())
        // Make the database refuse one entry halfway through a save, as a crash would interrupt it.
        _ = try pythonSQLite(path, """
            CREATE TRIGGER refuse BEFORE INSERT ON entry WHEN NEW.text = 'boom'
            BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
            """)
        let store = try SessionStore.open(path: path)
        var broken = sampleSnapshot(id: id, title: "half saved")
        broken.entries.insert(TranscriptEntry(kind: .user, text: "boom"), at: 3)
        let error = #expect(throws: SessionStoreError.self) { try store.save(broken) }
        #expect(error?.description == "\(path): injected failure")
        var expected = sampleSnapshot()
        expected.id = id
        #expect(try store.load(id: id) == expected)
    }

    @Test func garbageFileGivesOneLineErrorNamingIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/xcomposer.sqlite"
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: SessionStoreError.self) { try SessionStore.open(path: path) }
        let text = error?.description ?? ""
        #expect(text.hasPrefix(path + ": "))
        #expect(!text.contains("\n"))
        #expect(text.contains("not a database"))
        // The user's file is left as it was.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func textFileAtThePathGivesAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/notes.sqlite"
        try "just some notes\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: SessionStoreError.self) { try SessionStore.open(path: path) }
        #expect(error?.description.hasPrefix(path + ": ") == true)
    }

    @Test func folderAtThePathGivesAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let error = #expect(throws: SessionStoreError.self) { try SessionStore.open(path: folder.path) }
        #expect(error?.description.hasPrefix(folder.path + ": ") == true)
    }

    @Test func missingParentFoldersAreCreated() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/a/b/c/xcomposer.sqlite"
        let store = try SessionStore.open(path: path)
        _ = try store.save(sampleSnapshot())
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func parentThatCannotBeMadeIsReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // A regular file where a folder should be: mkdir fails even for root (tests may run as root,
        // for whom a read-only folder is no obstacle).
        let blocker = folder.path + "/file"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let path = blocker + "/sub/xcomposer.sqlite"
        let error = #expect(throws: SessionStoreError.self) { try SessionStore.open(path: path) }
        #expect(error?.description == "\(path): cannot create folder \(blocker): a file is in the way")
    }

    @Test func unknownKindInTheFileIsAnErrorNotACrash() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/db.sqlite"
        let id = try SessionStore.open(path: path).save(sampleSnapshot())
        _ = try pythonSQLite(path, "UPDATE entry SET kind = 'robot' WHERE position = 0;")
        let error = #expect(throws: SessionStoreError.self) { try SessionStore.open(path: path).load(id: id) }
        #expect(error?.description.hasPrefix("\(path): unreadable session data: entry ") == true)
        #expect(error?.description.hasSuffix("unknown kind 'robot'") == true)
    }

    @Test func wrongTypeInTheFileIsAnErrorNotACrash() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path + "/db.sqlite"
        let id = try SessionStore.open(path: path).save(sampleSnapshot())
        _ = try pythonSQLite(path, "UPDATE entry_image SET width = 'wide';")
        let error = #expect(throws: SessionStoreError.self) { try SessionStore.open(path: path).load(id: id) }
        #expect(error?.description == "\(path): unreadable session data: column width holds a value of the wrong type")
        _ = try pythonSQLite(path, "UPDATE entry_image SET width = 3;")
        #expect(try SessionStore.open(path: path).load(id: id).entries[0].images[0].width == 3)
    }

    @Test func twoHundredSessionsOfFiftyEntries() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let store = try SessionStore.open(path: folder.path + "/db.sqlite")
        var ids: [Int64] = []
        for session in 0..<200 {
            let entries = (0..<50).map { index in
                TranscriptEntry(
                    kind: index % 2 == 0 ? .user : .assistant,
                    text: "session \(session) entry \(index)",
                    images: index % 10 == 0 ? [AttachedImage(path: "/img/\(session)-\(index).png", width: index, height: session)] : [])
            }
            ids.append(try store.save(SessionSnapshot(
                title: "s\(session)", createdAt: Double(session), updatedAt: Double(session), entries: entries)))
        }
        #expect(Set(ids).count == 200)
        let listed = try store.list(limit: 500)
        #expect(listed.count == 200)
        #expect(listed.first?.title == "s199" && listed.last?.title == "s0")
        #expect(listed.allSatisfy { $0.turnCount == 25 })
        for session in [0, 73, 199] {
            let loaded = try store.load(id: ids[session])
            #expect(loaded.entries.count == 50)
            #expect(loaded.entries[49].text == "session \(session) entry 49")
            #expect(loaded.entries[40].images == [AttachedImage(path: "/img/\(session)-40.png", width: 40, height: session)])
        }
    }

    @Test func defaultPathFollowsXDG() {
        let xdg = SessionStore.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"].get)
        #expect(xdg == "/data/xcomposer/xcomposer.sqlite")
        let home = SessionStore.defaultPath(environment: ["HOME": "/home/u"].get)
        #expect(home == "/home/u/.local/share/xcomposer/xcomposer.sqlite")
        // The XDG spec: an empty or relative XDG_DATA_HOME is ignored.
        let relative = SessionStore.defaultPath(environment: ["XDG_DATA_HOME": "rel", "HOME": "/h"].get)
        #expect(relative == "/h/.local/share/xcomposer/xcomposer.sqlite")
        let empty = SessionStore.defaultPath(environment: ["XDG_DATA_HOME": "", "HOME": "/h"].get)
        #expect(empty == "/h/.local/share/xcomposer/xcomposer.sqlite")
        #expect(SessionStore.defaultPath().hasSuffix("/xcomposer/xcomposer.sqlite"))
    }
}

extension Dictionary where Key == String, Value == String {
    /// The dictionary as an environment lookup.
    var get: (String) -> String? { { self[$0] } }
}
