/// Turns the transcript into styled screen lines for a width, remembering finished entries so that
/// streaming re-renders only the reply being written.
///
/// Not thread-safe: the terminal layer owns one and uses it from its own thread.
public final class TranscriptRenderer {
    private struct Key: Equatable {
        var entry: TranscriptEntry
        var width: Int
        var modelName: String?
    }
    private var cache: [Int: (key: Key, lines: [StyledLine])] = [:]

    public init() {}

    /// All lines of the transcript, oldest first.
    public func lines(for transcript: [TranscriptEntry], width: Int, modelName: String?) -> [StyledLine] {
        guard width > 0 else { return [] }
        if cache.count > transcript.count { cache = cache.filter { $0.key < transcript.count } }
        var all: [StyledLine] = []
        for (index, entry) in transcript.enumerated() {
            let key = Key(entry: entry, width: width, modelName: modelName)
            if let cached = cache[index], cached.key == key {
                all += cached.lines
                continue
            }
            let rendered = Self.render(entry, width: width, modelName: modelName)
            cache[index] = (key, rendered)
            all += rendered
        }
        return all
    }

    static let indent = 2

    static func render(_ entry: TranscriptEntry, width: Int, modelName: String?) -> [StyledLine] {
        var lines: [StyledLine] = []
        let bodyWidth = max(1, width - indent)
        let pad = StyledSpan(text: String(repeating: " ", count: indent), role: .text, attributes: [])
        func body(_ styled: [StyledLine]) {
            for line in styled { lines.append(StyledLine(spans: [pad] + line.spans)) }
        }
        switch entry.kind {
        case .user:
            lines.append(header("You", role: .user))
            if !entry.images.isEmpty {
                let chips = entry.images.enumerated().map { "[\($0.offset + 1) \($0.element.fileName)]" }
                body(TextWrapper.wrap(chips.joined(separator: " "), width: bodyWidth).map {
                    StyledLine(spans: [StyledSpan(text: $0.text, role: .chip, attributes: [])])
                })
            }
            if !entry.text.isEmpty {
                body(MarkdownRenderer.render(entry.text, width: bodyWidth, baseRole: .user))
            }
        case .assistant:
            lines.append(header(modelName ?? "Model", role: .assistant))
            var text = entry.text
            if entry.completion == .streaming { text += "▍" }
            if !text.isEmpty {
                body(MarkdownRenderer.render(text, width: bodyWidth, baseRole: .assistant))
            }
            switch entry.completion {
            case .stopped:
                body([StyledLine(spans: [StyledSpan(text: "(stopped)", role: .dim, attributes: [.italic])])])
            case let .failed(message):
                body(TextWrapper.wrap("Failed: \(message)", width: bodyWidth).map {
                    StyledLine(spans: [StyledSpan(text: $0.text, role: .error, attributes: [])])
                })
            default: break
            }
        case .notice, .error:
            let role: ColorRole = entry.kind == .error ? .error : .warning
            for (i, wrapped) in TextWrapper.wrap(entry.text, width: max(1, width - 2)).enumerated() {
                lines.append(StyledLine(spans: [
                    StyledSpan(text: i == 0 ? "· " : "  ", role: role, attributes: []),
                    StyledSpan(text: wrapped.text, role: role, attributes: []),
                ]))
            }
        }
        lines.append(StyledLine(spans: []))
        return lines
    }

    private static func header(_ title: String, role: ColorRole) -> StyledLine {
        StyledLine(spans: [StyledSpan(text: title, role: role, attributes: [.bold])])
    }
}
