import AppCore
import CursesUI
import Dispatch
import Glibc
import SessionStore

/// Carries out the chat screen's storage effects on a serial queue of its own, so a slow disk
/// never stalls typing: autosaves, `/sessions`, `/resume` and `/export`.
final class SessionPersistence: Sendable {
    private let store: SessionStore?
    private let openFailure: String?
    private let queue = DispatchQueue(label: "xcomposer.sessions")

    init(path: String) {
        do {
            store = try SessionStore.open(path: path)
            openFailure = nil
        } catch {
            store = nil
            openFailure = "\(error) — this conversation will not be saved"
        }
    }

    /// Why storage is unavailable, if it is: shown once at start.
    var problem: String? { openFailure }

    func perform(_ effect: ChatEffect, inbox: ChatInbox) {
        switch effect {
        case let .save(content):
            queue.async { self.save(content, inbox: inbox) }
        case .listSessions:
            queue.async { self.list(inbox: inbox) }
        case let .openSession(id):
            queue.async { self.open(id: id, inbox: inbox) }
        case let .export(content, directory):
            queue.async { self.export(content, directory: directory, inbox: inbox) }
        default:
            break
        }
    }

    /// Waits for every queued save: called as the app exits, so the last edit is on disk.
    func flush() { queue.sync {} }

    func load(id: Int64?) throws -> SessionContent? {
        guard let store else { throw ConfigError(message: openFailure ?? "no session store") }
        do {
            let snapshot = try id.map { try store.load(id: $0) } ?? store.mostRecent()
            return snapshot.map(Self.content)
        } catch {
            throw ConfigError(message: "\(error)")
        }
    }

    private func save(_ content: SessionContent, inbox: ChatInbox) {
        guard let store else { return }
        let now = Self.wallClock()
        // On an existing row the store keeps the earlier creation time.
        let snapshot = SessionSnapshot(id: content.id, title: content.title, createdAt: now, updatedAt: now,
                                       modelName: content.modelName, systemPrompt: content.systemPrompt,
                                       entries: content.entries, draft: content.draft)
        do {
            let id = try store.save(snapshot)
            if content.id == nil { inbox.post(.sessionSaved(id: id)) }
        } catch {
            inbox.post(.storageFailed("\(error)"))
        }
    }

    private func list(inbox: ChatInbox) {
        guard let store else { inbox.post(.storageFailed(openFailure ?? "no session store")); return }
        do {
            let listing = try store.list(limit: 30).map {
                SessionListing(id: $0.id, title: $0.title, updated: Self.localTime($0.updatedAt), turns: $0.turnCount)
            }
            inbox.post(.sessionsListed(listing))
        } catch {
            inbox.post(.storageFailed("\(error)"))
        }
    }

    private func open(id: Int64, inbox: ChatInbox) {
        guard let store else { inbox.post(.storageFailed(openFailure ?? "no session store")); return }
        do {
            inbox.post(.sessionOpened(Self.content(try store.load(id: id))))
        } catch {
            inbox.post(.storageFailed("\(error)"))
        }
    }

    private func export(_ content: SessionContent, directory: String?, inbox: ChatInbox) {
        let now = Self.wallClock()
        let snapshot = SessionSnapshot(id: content.id, title: content.title, createdAt: now, updatedAt: now,
                                       modelName: content.modelName, systemPrompt: content.systemPrompt,
                                       entries: content.entries, draft: content.draft)
        let base = SessionExport.suggestedBaseName(snapshot)
        do {
            let written = try SessionExporter.write(snapshot, to: directory ?? ".", baseName: base)
            inbox.post(.exported([written.markdownPath, written.jsonPath]))
        } catch {
            inbox.post(.storageFailed("\(error)"))
        }
    }

    static func content(_ snapshot: SessionSnapshot) -> SessionContent {
        SessionContent(id: snapshot.id, title: snapshot.title, modelName: snapshot.modelName,
                       systemPrompt: snapshot.systemPrompt, entries: snapshot.entries, draft: snapshot.draft)
    }

    static func wallClock() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    static func localTime(_ seconds: Double) -> String {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min))"
    }
}

