import Composer

/// Where a picture goes on the article's canvas: a box of cells the painter fits the image into.
public struct PicturePlacement: Sendable, Equatable {
    public var path: String
    /// First canvas row and height, in rows.
    public var row: Int
    public var rows: Int
    public var x: Int
    public var width: Int
    /// Centre the picture in its box (the chosen image) or keep it left (a thumbnail).
    public var centred: Bool
}

/// The article laid out as a tall canvas of rows: text lines, and boxes where pictures go.
///
/// Pure: the painter scrolls a window over it and draws the pictures through the image
/// previewer. The layout of the original is kept: each image sits centred after its
/// paragraph with its caption beneath; the candidate strip follows.
public struct ArticleLayout: Sendable, Equatable {
    public var lines: [StyledLine] = []
    public var pictures: [PicturePlacement] = []
    /// The rows of each block, for keeping the cursor's block in view.
    public var blockRows: [ComposeBlock: Range<Int>] = [:]

    /// Heights of the chosen picture and of the candidate thumbnails, in rows.
    public struct Sizes: Sendable, Equatable {
        public var picture: Int
        public var thumbnail: Int
        public init(picture: Int, thumbnail: Int) {
            self.picture = picture
            self.thumbnail = thumbnail
        }

        /// Pictures that suit a screen of `rows` rows.
        public static func forScreen(rows: Int) -> Sizes {
            Sizes(picture: max(3, min(12, rows / 3)), thumbnail: max(2, min(6, rows / 6)))
        }
    }

    public static func layout(_ state: ComposeState, width: Int, sizes: Sizes) -> ArticleLayout {
        var layout = ArticleLayout()
        let content = state.content
        let width = max(10, width)
        layout.appendTitle(content.title, focused: state.focus == .title, width: width,
                           editing: state.mode == .editing(.title))
        for (index, paragraph) in content.paragraphs.enumerated() {
            let block = ComposeBlock.paragraph(paragraph.id)
            let start = layout.lines.count
            layout.appendParagraph(paragraph.text, number: index + 1, focused: state.focus == block,
                                   editing: state.mode == .editing(block), width: width)
            layout.blockRows[block] = start..<layout.lines.count
            for slot in content.slots(after: paragraph.id) {
                let slotBlock = ComposeBlock.slot(slot.id)
                let slotStart = layout.lines.count
                let number = (content.slots.firstIndex { $0.id == slot.id } ?? 0) + 1
                layout.appendSlot(slot, number: number, after: index + 1, focused: state.focus == slotBlock,
                                  highlighted: state.highlightedCandidate(slot), width: width, sizes: sizes)
                layout.blockRows[slotBlock] = slotStart..<layout.lines.count
            }
        }
        if !state.liveText.isEmpty || state.job != nil && content.paragraphs.isEmpty {
            let text = state.liveText.isEmpty ? "…" : state.liveText + " ▍"
            layout.appendWrapped(text, indent: "    ", width: width, role: .dim, attributes: [.italic])
        }
        if content.paragraphs.isEmpty && state.job == nil {
            layout.blank()
            layout.appendWrapped("No paragraphs yet. n composes a new article from a title, + writes the next paragraph, "
                                 + "o adds one you write yourself; ? lists every key.",
                                 indent: "  ", width: width, role: .dim)
        }
        return layout
    }

    // MARK: - Blocks

    private mutating func appendTitle(_ title: String, focused: Bool, width: Int, editing: Bool) {
        let start = lines.count
        let text = title.isEmpty ? "Untitled article" : title
        appendWrapped(text, indent: "  ", width: width, role: title.isEmpty ? .dim : .heading,
                      attributes: [.bold], marker: focused ? (editing ? "✎" : "▌") : nil)
        blank()
        blockRows[.title] = start..<lines.count
    }

    private mutating func appendParagraph(_ text: String, number: Int, focused: Bool, editing: Bool, width: Int) {
        let body = text.isEmpty ? "(empty paragraph)" : text
        appendWrapped(body, indent: "    ", width: width, role: text.isEmpty ? .dim : .text,
                      marker: focused ? (editing ? "✎" : "▌") : nil, gutter: "\(number)")
        blank()
    }

    private mutating func appendSlot(_ slot: ImageSlot, number: Int, after paragraph: Int, focused: Bool,
                                     highlighted: Int, width: Int, sizes: Sizes) {
        let border: ColorRole = focused ? .accent : .border
        let heading = " Image \(number) · after paragraph \(paragraph) · \(Self.status(slot)) "
        let rule = String(repeating: "─", count: max(0, width - 4 - DisplayWidth.of(heading)))
        lines.append(StyledLine(spans: [
            StyledSpan(text: focused ? "▌ ╭" : "  ╭", role: border),
            StyledSpan(text: TextTruncation.truncate(heading, toWidth: max(1, width - 4)), role: border,
                       attributes: focused ? [.bold] : []),
            StyledSpan(text: rule, role: border),
        ]))
        let inner = max(4, width - 6)
        if let chosen = slot.chosen {
            pictures.append(PicturePlacement(path: chosen.path, row: lines.count, rows: sizes.picture,
                                             x: 4, width: inner, centred: true))
            for _ in 0..<sizes.picture { bordered([], border: border) }
        }
        let caption = slot.caption.isEmpty ? "(no caption yet)" : slot.caption
        for line in TextWrapper.wrap(caption, width: inner) {
            let padding = max(0, (inner - DisplayWidth.of(line.text)) / 2)
            bordered([StyledSpan(text: String(repeating: " ", count: padding) + line.text,
                                 role: slot.caption.isEmpty ? .dim : .emphasis, attributes: [.italic])], border: border)
        }
        if case let .failed(message) = slot.status {
            for line in TextWrapper.wrap(message, width: inner) {
                bordered([StyledSpan(text: line.text, role: .error)], border: border)
            }
        }
        if !slot.candidates.isEmpty {
            appendStrip(slot, highlighted: highlighted, focused: focused, inner: inner, border: border, sizes: sizes)
        }
        let hint = focused ? "←/→ highlight · Enter or 1-4 picks · c caption · s search · C model caption · J/K move · x delete" : ""
        lines.append(StyledLine(spans: [
            StyledSpan(text: focused ? "▌ ╰" : "  ╰", role: border),
            StyledSpan(text: TextTruncation.truncate(hint.isEmpty ? "" : " " + hint + " ", toWidth: max(0, width - 4)),
                       role: .dim),
        ]))
        blank()
    }

    /// Labels (number, file, score; ✓ on the chosen one) over a row of thumbnails.
    private mutating func appendStrip(_ slot: ImageSlot, highlighted: Int, focused: Bool, inner: Int,
                                      border: ColorRole, sizes: Sizes) {
        let count = min(slot.candidates.count, ComposePrompts.candidateCount)
        let cell = max(4, inner / count)
        var labels: [StyledSpan] = []
        for index in 0..<count {
            let candidate = slot.candidates[index]
            let name = candidate.path.split(separator: "/").last.map(String.init) ?? candidate.path
            let mark = slot.chosenIndex == index ? "✓" : " "
            let label = "\(mark)\(index + 1) \(name) \(Self.score(candidate.score))"
            let fitted = TextTruncation.truncate(label, toWidth: cell - 1)
            let padded = fitted + String(repeating: " ", count: max(0, cell - DisplayWidth.of(fitted)))
            let role: ColorRole = focused && index == highlighted ? .selection : (slot.chosenIndex == index ? .accent : .dim)
            labels.append(StyledSpan(text: padded, role: role, attributes: focused && index == highlighted ? [.reverse] : []))
        }
        bordered([StyledSpan(text: "Candidates:", role: .dim)], border: border)
        bordered(labels, border: border)
        for index in 0..<count {
            pictures.append(PicturePlacement(path: slot.candidates[index].path, row: lines.count, rows: sizes.thumbnail,
                                             x: 4 + index * cell, width: cell - 1, centred: false))
        }
        for _ in 0..<sizes.thumbnail { bordered([], border: border) }
    }

    static func status(_ slot: ImageSlot) -> String {
        switch slot.status {
        case .spotted: return "waiting for a caption"
        case .captioned: return "captioned"
        case .retrieving: return "searching the library…"
        case .ready:
            guard let chosen = slot.chosen else { return "no image chosen" }
            return "\(chosen.path.split(separator: "/").last.map(String.init) ?? "")"
        case .failed: return "failed"
        }
    }

    /// A retrieval score with two decimals.
    static func score(_ value: Float) -> String {
        let hundredths = Int((Double(value) * 100).rounded())
        let magnitude = abs(hundredths), fraction = magnitude % 100
        return "\(hundredths < 0 ? "-" : "")\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    // MARK: - Rows

    private mutating func bordered(_ spans: [StyledSpan], border: ColorRole) {
        lines.append(StyledLine(spans: [StyledSpan(text: border == .accent ? "▌ │ " : "  │ ", role: border)] + spans))
    }

    private mutating func blank() { lines.append(StyledLine(spans: [])) }

    private mutating func appendWrapped(_ text: String, indent: String, width: Int, role: ColorRole,
                                        attributes: TextAttributes = [], marker: String? = nil, gutter: String? = nil) {
        let indentWidth = DisplayWidth.of(indent)
        for (row, line) in TextWrapper.wrap(text, width: max(1, width - indentWidth)).enumerated() {
            var lead = indent
            if row == 0, let gutter {
                let label = String(gutter.suffix(indentWidth - 2))
                lead = "  " + String(repeating: " ", count: max(0, indentWidth - 3 - label.count)) + label + " "
            }
            var spans: [StyledSpan] = []
            if let marker {
                spans.append(StyledSpan(text: marker, role: .accent, attributes: [.bold]))
                spans.append(StyledSpan(text: String(lead.dropFirst()), role: .dim))
            } else {
                spans.append(StyledSpan(text: lead, role: .dim))
            }
            spans.append(StyledSpan(text: line.text, role: role, attributes: attributes))
            lines.append(StyledLine(spans: spans))
        }
    }
}
