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
        var lines: [[Character]] = []
        var current: [Character] = []
        var column = 0
        for character in markdown {
            if character == "\n" || character == "\r\n" {
                lines.append(current)
                current.removeAll(keepingCapacity: true)
                column = 0
            } else if character == "\t" {
                let spaces = 4 - column % 4
                current.append(contentsOf: repeatElement(" ", count: spaces))
                column += spaces
            } else {
                current.append(character)
                column += DisplayWidth.of(character)
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

    mutating func render(_ lines: ArraySlice<[Character]>) {
        var i = lines.startIndex
        while i < lines.endIndex {
            let line = lines[i]
            let kind = MarkdownLine.classify(line)
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
                    if MarkdownLine.closesFence(lines[i], marker: marker, length: length) { break }
                    var code = lines[i][...]
                    var stripped = 0
                    while stripped < indent, code.first == " " { code = code.dropFirst(); stripped += 1 }
                    emitCode(code)
                    i += 1
                }
            case .heading(_, let content):
                listItem = nil
                let text = InlineMarkdown.parse(Array(line[content]), role: .heading, attributes: .bold)
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
                var quoted: [[Character]] = []
                while i < lines.endIndex, case .quote(let content) = MarkdownLine.classify(lines[i]) {
                    quoted.append(Array(lines[i][content...]))
                    i += 1
                }
                emitQuote(quoted)
                continue
            case .text(let indent):
                if let item = listItem, indent > 0, indent >= min(item.contentColumn, 2) {
                    let text = InlineMarkdown.parse(Array(line[indent...]), role: baseRole, attributes: [])
                    let hang = [StyledSpan(text: String(repeating: " ", count: item.prefixWidth), role: baseRole)]
                    emitWrapped(text, firstPrefix: hang, restPrefix: hang, prefixWidth: item.prefixWidth)
                } else {
                    listItem = nil
                    let text = InlineMarkdown.parse(line, role: baseRole, attributes: [])
                    emitWrapped(text, firstPrefix: [], restPrefix: [], prefixWidth: 0)
                }
            }
            i += 1
        }
    }

    /// A bullet or numbered item: the marker at the source indentation, wrapped rows hanging.
    private mutating func emitItem(_ line: [Character], marker: String, indent: Int, content: Int) {
        let lead = String(repeating: " ", count: indent)
        let prefix = lead + marker + " "
        let prefixWidth = DisplayWidth.of(prefix)
        listItem = (content, prefixWidth)
        let text = InlineMarkdown.parse(Array(line[content...]), role: baseRole, attributes: [])
        emitWrapped(text,
                    firstPrefix: [StyledSpan(text: lead, role: baseRole), StyledSpan(text: marker + " ", role: .accent)]
                        .filter { !$0.text.isEmpty },
                    restPrefix: [StyledSpan(text: String(repeating: " ", count: prefixWidth), role: baseRole)],
                    prefixWidth: prefixWidth)
    }

    /// Quoted lines, rendered as a document of their own two cells narrower, then prefixed.
    private mutating func emitQuote(_ quoted: [[Character]]) {
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

    /// One code line, broken between clusters wherever it reaches the width.
    private mutating func emitCode(_ code: ArraySlice<Character>) {
        if code.isEmpty {
            output.append(StyledLine(spans: []))
            return
        }
        var row = ""
        var cells = 0
        for character in code {
            var shown = character
            var w = DisplayWidth.of(character)
            if w > width {
                shown = ParagraphWrapper.placeholder
                w = 1
            }
            if cells + w > width && !row.isEmpty {
                output.append(StyledLine(spans: [StyledSpan(text: row, role: .code)]))
                row = ""
                cells = 0
            }
            row.append(shown)
            cells += w
        }
        output.append(StyledLine(spans: [StyledSpan(text: row, role: .code)]))
    }

    /// Wraps styled text into rows of the width left after the prefixes and re-applies the
    /// styles row by row.
    private mutating func emitWrapped(_ text: StyledText, firstPrefix: [StyledSpan], restPrefix: [StyledSpan],
                                      prefixWidth: Int) {
        let usePrefix = width - prefixWidth >= 1
        let contentWidth = usePrefix ? width - prefixWidth : width
        let fitted = text.replacingClusters(widerThan: contentWidth, with: ParagraphWrapper.placeholder)
        let rows = TextWrapper.wrap(characters: fitted.characters, width: contentWidth)
        var run = 0
        for (index, row) in rows.enumerated() {
            var spans = usePrefix ? (index == 0 ? firstPrefix : restPrefix) : []
            spans += fitted.spans(row.start..<row.end, firstRun: &run)
            output.append(StyledLine(spans: spans))
        }
    }
}
