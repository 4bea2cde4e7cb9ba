/// The status line's text: what the engine is doing on the left, the model and resources on the right.
public enum StatusLine {
    public struct Content: Sendable, Equatable {
        public var left: String
        public var right: String
        public var role: ColorRole
        /// For a loading bar: the fraction done.
        public var progress: Double?
    }

    public static func compose(_ state: ChatState, now: Double) -> Content {
        var role: ColorRole = .status
        var progress: Double?
        var left: String
        switch state.activity {
        case let .loading(fraction, detail):
            left = "Loading model \(Int((fraction * 100).rounded()))% · \(detail)"
            progress = fraction
        case let .unavailable(why):
            left = "No model: \(why)"
            role = .error
        case .idle:
            left = "Ready"
            if let stats = state.lastStatistics, stats.decodeSeconds > 0 {
                left += " · last reply \(format(stats.decodeTokensPerSecond)) tok/s"
            }
        case let .readingImages(done, total):
            left = "Reading image \(min(done + 1, total))/\(total) · Esc stops"
        case let .readingPrompt(done, total):
            left = total > 0 ? "Reading prompt \(done)/\(total)" : "Reading prompt"
            left += " · Esc stops"
        case let .generating(tokens, startedAt):
            let seconds = now - startedAt
            left = "Writing · \(tokens) tokens"
            if seconds > 0.2 { left += " · \(format(Double(max(tokens - 1, 0)) / seconds)) tok/s" }
            left += " · Esc stops"
        }
        if let notice = state.notice {
            left = notice.text
            role = notice.severity == .error ? .error : notice.severity == .warning ? .warning : role
        }
        var right: [String] = []
        if let model = state.model {
            right.append(model.name)
            if let stats = state.lastStatistics {
                right.append("ctx \(stats.promptTokens + stats.generatedTokens)/\(model.contextLength)")
            } else {
                right.append("ctx \(model.contextLength)")
            }
        }
        if let bytes = state.residentBytes { right.append("\(bytes / 1_048_576) MB") }
        right.append("F1 help")
        return Content(left: left, right: right.joined(separator: " · "), role: role, progress: progress)
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
