/// Light Markdown for chat messages, laid out for a terminal `width` cells wide.
///
/// Blocks, one source line at a time (a message is re-rendered while it streams, so a line's
/// rendering does not depend on what follows it, except inside a code fence):
/// - `#`…`######` headings: role `.heading`, bold, the `#` marks removed;
/// - fenced code (```` ```lang ```` or `~~~`): each source line is kept and hard-wrapped if wider
///   than `width`, in role `.code`. The fences themselves are not shown; an opening fence
///   with a language shows the language name as a dim line above the code. A fence that is
///   never closed (a message still streaming) renders the rest of the message as code. Code
///   lines lose up to the fence's own indentation;
/// - `-`, `*`, `+` bullets become "• ", numbered items keep their number ("3. "); wrapped rows
///   and indented lines that follow an item hang under the item's text; the item keeps its
///   source indentation, so nested lists stay nested;
/// - `>` block quotes get a dim "│ " prefix and their content is dim (quotes nest, and may hold
///   any other block);
/// - `---`, `***`, `___` become a rule across the width (role `.border`);
/// - blank lines are kept, one empty row each;
/// - anything else is a paragraph line in `baseRole`, wrapped by `TextWrapper`'s rules, leading
///   spaces kept. Each source line starts a new row (line breaks in a message are meant), and
///   setext headings are not recognised.
/// Inline styles are `InlineMarkdown`'s. Tabs expand to the next multiple of 4 columns. No row
/// is wider than `width` (at least 1); prefixes are dropped when the width leaves no room for
/// text after them. Work is linear in the message's length.
public enum MarkdownRenderer {
    public static func render(_ markdown: String, width: Int, baseRole: ColorRole) -> [StyledLine] {
        var lines: [MeasuredText] = []
        var current = MeasuredText()
        var column = 0
        for character in markdown {
            let code = CharacterCode.of(character)
            if code == CharacterCode.newline {
                lines.append(current)
                current.removeAll()
                column = 0
            } else if code == CharacterCode.tab {
                let spaces = 4 - column % 4
                for _ in 0..<spaces { current.append(" ", code: CharacterCode.space, width: 1) }
                column += spaces
            } else {
                let width = DisplayWidth.of(character)
                current.append(character, code: code, width: width)
                column += width
            }
        }
        lines.append(current)
        var renderer = MarkdownBlockRenderer(width: max(1, width), baseRole: baseRole)
        renderer.render(lines[...])
        return renderer.output
    }
}

/// The block layer of `MarkdownRenderer`, over lines already split and tab-expanded.
struct MarkdownBlockRenderer {
    let width: Int
    let baseRole: ColorRole
    private(set) var output: [StyledLine] = []

    /// The list item that indented text lines continue: its text's source column and the
    /// rendered width of its prefix.
    private var listItem: (contentColumn: Int, prefixWidth: Int)?

    init(width: Int, baseRole: ColorRole) {
        self.width = width
        self.baseRole = baseRole
    }

    mutating func render(_ lines: ArraySlice<MeasuredText>) {
        var i = lines.startIndex
        while i < lines.endIndex {
            let line = lines[i]
            let kind = MarkdownLine.classify(line.characters)
            switch kind {
            case .blank:
                output.append(StyledLine(spans: []))
            case .fence(let indent, let marker, let length, let language):
                listItem = nil
                if !language.isEmpty {
                    let label = TextTruncation.truncate(language, toWidth: width)
                    output.append(StyledLine(spans: [StyledSpan(text: label, role: .dim, attributes: .dim)]))
                }
                i += 1
                while i < lines.endIndex {
                    if MarkdownLine.closesFence(lines[i].characters, marker: marker, length: length) { break }
                    var stripped = 0
                    while stripped < indent, stripped < lines[i].count,
                          lines[i].codes[stripped] == CharacterCode.space { stripped += 1 }
                    emitCode(lines[i], from: stripped)
                    i += 1
                }
            case .heading(_, let content):
                listItem = nil
                let text = InlineMarkdown.parse(line[content], role: .heading, attributes: .bold,
                                                 plainRole: baseRole)
                emitWrapped(text, firstPrefix: [], restPrefix: [], prefixWidth: 0)
            case .rule:
                listItem = nil
                output.append(StyledLine(spans: [
                    StyledSpan(text: String(repeating: "─", count: width), role: .border),
                ]))
            case .bullet(let indent, let content):
                emitItem(line, marker: "•", indent: indent, content: content)
            case .ordered(let indent, let marker, let content):
                emitItem(line, marker: marker, indent: indent, content: content)
            case .quote:
                listItem = nil
                var quoted: [MeasuredText] = []
                while i < lines.endIndex, case .quote(let content) = MarkdownLine.classify(lines[i].characters) {
                    quoted.append(lines[i][content..<lines[i].count])
                    i += 1
                }
                emitQuote(quoted)
                continue
            case .text(let indent):
                if let item = listItem, indent > 0, indent >= min(item.contentColumn, 2) {
                    let text = InlineMarkdown.parse(line[indent..<line.count], role: baseRole, plainRole: baseRole)
                    let hang = [StyledSpan(text: String(repeating: " ", count: item.prefixWidth), role: baseRole)]
                    emitWrapped(text, firstPrefix: hang, restPrefix: hang, prefixWidth: item.prefixWidth)
                } else {
                    listItem = nil
                    let text = InlineMarkdown.parse(line, role: baseRole, plainRole: baseRole)
                    emitWrapped(text, firstPrefix: [], restPrefix: [], prefixWidth: 0)
                }
            }
            i += 1
        }
    }

    /// A bullet or numbered item: the marker at the source indentation, wrapped rows hanging.
    private mutating func emitItem(_ line: MeasuredText, marker: String, indent: Int, content: Int) {
        let lead = String(repeating: " ", count: indent)
        let prefix = lead + marker + " "
        let prefixWidth = DisplayWidth.of(prefix)
        listItem = (content, prefixWidth)
        let text = InlineMarkdown.parse(line[content..<line.count], role: baseRole, plainRole: baseRole)
        emitWrapped(text,
                    firstPrefix: [StyledSpan(text: lead, role: baseRole), StyledSpan(text: marker + " ", role: .accent)]
                        .filter { !$0.text.isEmpty },
                    restPrefix: [StyledSpan(text: String(repeating: " ", count: prefixWidth), role: baseRole)],
                    prefixWidth: prefixWidth)
    }

    /// Quoted lines, rendered as a document of their own two cells narrower, then prefixed.
    private mutating func emitQuote(_ quoted: [MeasuredText]) {
        let prefixWidth = 2
        guard width > prefixWidth else {
            var inner = MarkdownBlockRenderer(width: width, baseRole: baseRole)
            inner.render(quoted[...])
            output.append(contentsOf: inner.output.map(Self.dimmed))
            return
        }
        var inner = MarkdownBlockRenderer(width: width - prefixWidth, baseRole: baseRole)
        inner.render(quoted[...])
        let bar = StyledSpan(text: "│ ", role: .dim, attributes: .dim)
        for line in inner.output {
            output.append(StyledLine(spans: [bar] + Self.dimmed(line).spans))
        }
    }

    private static func dimmed(_ line: StyledLine) -> StyledLine {
        StyledLine(spans: line.spans.map {
            StyledSpan(text: $0.text, role: $0.role, attributes: $0.attributes.union(.dim))
        })
    }

    /// One code line from character `start` on, broken between clusters wherever it reaches
    /// the width.
    private mutating func emitCode(_ code: MeasuredText, from start: Int) {
        if start >= code.count {
            output.append(StyledLine(spans: []))
            return
        }
        var rowStart = start
        var cells = 0
        var hasPlaceholder = false
        func row(_ end: Int) -> StyledLine {
            var text = code.string(rowStart..<end)
            if hasPlaceholder {
                text = String(code.characters[rowStart..<end].map {
                    DisplayWidth.of($0) > width ? ParagraphWrapper.placeholder : $0
                })
            }
            return StyledLine(spans: [StyledSpan(text: text, role: .code)])
        }
        for k in start..<code.count {
            let w = min(code.widths[k], width)  // wider than the row: shown as the placeholder
            if cells + w > width && k > rowStart {
                output.append(row(k))
                rowStart = k
                cells = 0
                hasPlaceholder = false
            }
            hasPlaceholder = hasPlaceholder || code.widths[k] > width
            cells += w
        }
        output.append(row(code.count))
    }

    /// Wraps styled text into rows of the width left after the prefixes and re-applies the
    /// styles row by row.
    private mutating func emitWrapped(_ text: StyledText, firstPrefix: [StyledSpan], restPrefix: [StyledSpan],
                                      prefixWidth: Int) {
        let usePrefix = width - prefixWidth >= 1
        let contentWidth = usePrefix ? width - prefixWidth : width
        // Indentation wider than the row would be skipped by the wrapper, leaving rows whose
        // range holds characters they do not show; drop it here so ranges and text agree.
        let fitted = text.replacingClusters(widerThan: contentWidth, with: ParagraphWrapper.placeholder)
            .droppingLeadingSpaces(beyond: contentWidth)
        let rows = TextWrapper.wrap(characters: fitted.text.characters, widths: fitted.text.widths,
                                    codes: fitted.text.codes, width: contentWidth, buildsText: false)
        var run = 0
        for (index, row) in rows.enumerated() {
            var spans = usePrefix ? (index == 0 ? firstPrefix : restPrefix) : []
            spans += fitted.spans(row.start..<row.end, firstRun: &run)
            output.append(StyledLine(spans: spans))
        }
    }
}
