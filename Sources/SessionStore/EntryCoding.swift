import AppCore

/// How entry kinds and completions are spelled in the database and in exported JSON.
/// Pure, so the store and the exporter agree and the tests can check both ways.
enum EntryCoding {
    static func name(of kind: TranscriptEntry.Kind) -> String {
        switch kind {
        case .user: "user"
        case .assistant: "assistant"
        case .notice: "notice"
        case .error: "error"
        }
    }

    static func kind(named name: String) -> TranscriptEntry.Kind? {
        switch name {
        case "user": .user
        case "assistant": .assistant
        case "notice": .notice
        case "error": .error
        default: nil
        }
    }

    /// The completion's name and, for `.failed`, its message.
    static func name(of completion: TranscriptEntry.Completion) -> (name: String, failure: String?) {
        switch completion {
        case .streaming: ("streaming", nil)
        case .finished: ("finished", nil)
        case .stopped: ("stopped", nil)
        case .failed(let message): ("failed", message)
        }
    }

    /// The completion a saved entry gets: a reply that was still streaming when the chat was saved
    /// will never finish, so it is stored (and read back) as stopped, keeping its text.
    static func persisted(_ completion: TranscriptEntry.Completion) -> TranscriptEntry.Completion {
        completion == .streaming ? .stopped : completion
    }

    static func completion(named name: String, failure: String?) -> TranscriptEntry.Completion? {
        switch name {
        case "finished": .finished
        case "stopped", "streaming": .stopped
        case "failed": .failed(failure ?? "")
        default: nil
        }
    }
}
