import AppCore
import CNcursesw
import TerminalGraphics

/// Draws the chat state onto the curses screen. Holds the caches that make redraws cheap.
final class ScreenPainter {
    private let palette: Palette
    private let transcriptRenderer = TranscriptRenderer()
    let previews: ImagePreviewer
    /// Sixel mode: the pane's picture area is left blank for `SixelOverlay` to paint.
    let leavesPictureToSixels: Bool
    /// Where the picture went in the last frame (below the pane's title row), with its file.
    private(set) var lastPicture: (path: String, area: Rect)?

    init(palette: Palette, previews: ImagePreviewer, leavesPictureToSixels: Bool) {
        self.palette = palette
        self.previews = previews
        self.leavesPictureToSixels = leavesPictureToSixels
    }

    /// Draws one frame. Returns the largest scroll offset the transcript allows, so the caller can
    /// keep the state's scroll position within it.
    @discardableResult
    func draw(_ state: ChatState, size: TerminalSize, now: Double) -> Int {
        let window = nc_stdscr()
        let base = palette.style(.text)
        wbkgdset(window, chtype(base.attributes) | chtype(nc_color_pair(base.pair)))
        werase(window)
        let inputWidth = max(1, size.columns - 2)
        let inputLines = TextWrapper.wrap(state.editor.text, width: inputWidth)
        let layout = ScreenLayout.compute(columns: size.columns, rows: size.rows,
                                          inputLines: max(1, inputLines.count),
                                          wantsImagePane: state.imagePaneVisible && state.previewedImage != nil)
        lastPicture = nil
        if layout.isTooSmall {
            drawTooSmall(size)
            wnoutrefresh(window)
            return 0
        }
        let maxScroll = drawTranscript(state, in: layout.transcript)
        if let pane = layout.imagePane, let image = state.previewedImage {
            drawImage(image, index: state.allImages.firstIndex(of: image), count: state.allImages.count, in: pane)
        }
        drawInputTitle(state, in: layout.inputTitle)
        let cursor = drawInput(state, lines: inputLines, in: layout.input)
        drawStatus(state, in: layout.status, now: now)
        if state.showHelp {
            lastPicture = nil
            drawHelp(state, size: size)
            curs_set(0)
        } else {
            curs_set(1)
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        }
        wnoutrefresh(window)
        return maxScroll
    }

    // MARK: - Panes

    private func drawTranscript(_ state: ChatState, in rect: Rect) -> Int {
        guard !rect.isEmpty else { return 0 }
        var lines = transcriptRenderer.lines(for: state.transcript, width: rect.width, modelName: state.model?.name)
        if state.transcript.isEmpty {
            lines = welcomeLines(state, width: rect.width)
        }
        let maxScroll = max(0, lines.count - rect.height)
        let scroll = min(state.scrollFromBottom, maxScroll)
        let first = max(0, lines.count - rect.height - scroll)
        for row in 0..<rect.height where first + row < lines.count {
            drawLine(lines[first + row], y: rect.y + row, x: rect.x, width: rect.width)
        }
        if scroll > 0 {
            let marker = " ↓ \(scroll) more · End "
            put(marker, y: rect.y + rect.height - 1, x: rect.x + max(0, rect.width - DisplayWidth.of(marker)),
                width: rect.width, role: .selection)
        }
        return maxScroll
    }

    private func welcomeLines(_ state: ChatState, width: Int) -> [StyledLine] {
        let text = """
        # XComposer

        Ask a question and press **Enter**. Attach a picture with `/image PATH`, or paste or drop its \
        path into the prompt; **Tab** completes paths. **Esc** stops an answer, **Alt-Enter** starts a \
        new line, **F1** lists every key and command, **Ctrl-Q** quits.
        """
        return MarkdownRenderer.render(text, width: max(1, width - 2), baseRole: .dim).map {
            StyledLine(spans: [StyledSpan(text: "  ", role: .text, attributes: [])] + $0.spans)
        }
    }

    private func drawImage(_ image: AttachedImage, index: Int?, count: Int, in pane: Rect) {
        guard pane.height >= 2, pane.width >= 4 else { return }
        var title = "\(image.fileName) \(image.width)x\(image.height)"
        if let index, count > 1 { title = "[\(index + 1)/\(count)] " + title }
        put(TextTruncation.truncate(title, toWidth: pane.width), y: pane.y, x: pane.x, width: pane.width, role: .accent)
        let area = Rect(x: pane.x, y: pane.y + 1, width: pane.width, height: pane.height - 1)
        if leavesPictureToSixels {
            if case let .failure(error) = previews.image(for: image.path) {
                put(TextTruncation.truncate(error.description, toWidth: area.width), y: area.y, x: area.x,
                    width: area.width, role: .error)
            } else {
                lastPicture = (image.path, area)
            }
            return
        }
        switch previews.grid(for: image.path, columns: area.width, rows: area.height) {
        case let .success(grid):
            let left = area.x + (area.width - grid.columns) / 2
            for row in 0..<grid.rows {
                for column in 0..<grid.columns {
                    let cell = grid[column, row]
                    putCell(cell, y: area.y + row, x: left + column)
                }
            }
        case let .failure(message):
            for (i, line) in TextWrapper.wrap(message, width: area.width).prefix(area.height).enumerated() {
                put(line.text, y: area.y + i, x: area.x, width: area.width, role: .error)
            }
        }
    }

    private func drawInputTitle(_ state: ChatState, in rect: Rect) {
        var spans: [StyledSpan] = []
        if !state.completions.isEmpty {
            spans.append(StyledSpan(text: "Tab: ", role: .dim, attributes: []))
            spans.append(StyledSpan(text: state.completions.joined(separator: "  "), role: .accent, attributes: []))
        } else if !state.pendingImages.isEmpty {
            for (i, image) in state.pendingImages.enumerated() {
                spans.append(StyledSpan(text: "[\(i + 1) \(image.fileName)]", role: .chip, attributes: []))
                spans.append(StyledSpan(text: " ", role: .border, attributes: []))
            }
        }
        let used = spans.reduce(0) { $0 + DisplayWidth.of($1.text) }
        let hint = state.activity.isBusy ? " Esc stops " : " Enter sends · Alt-Enter new line "
        let fill = max(0, rect.width - used - DisplayWidth.of(hint) - 1)
        spans.insert(StyledSpan(text: "─", role: .border, attributes: []), at: 0)
        spans.append(StyledSpan(text: String(repeating: "─", count: fill), role: .border, attributes: []))
        spans.append(StyledSpan(text: hint, role: .dim, attributes: []))
        drawLine(StyledLine(spans: spans), y: rect.y, x: rect.x, width: rect.width)
    }

    /// Draws the input box and returns where the cursor goes.
    private func drawInput(_ state: ChatState, lines: [WrappedLine], in rect: Rect) -> (y: Int, x: Int) {
        let promptRole: ColorRole = state.activity.isBusy ? .dim : .accent
        put("›", y: rect.y, x: rect.x, width: 2, role: promptRole)
        let position = TextWrapper.locate(offset: state.editor.cursor, in: lines)
        let firstVisible = max(0, position.row - rect.height + 1)
        for row in 0..<rect.height where firstVisible + row < lines.count {
            put(lines[firstVisible + row].text, y: rect.y + row, x: rect.x + 2, width: rect.width - 2, role: .text)
        }
        if state.editor.isEmpty {
            let placeholder = state.model == nil ? "type /help, or wait for the model" : "Ask anything · /image PATH attaches a picture · ? for help"
            put(TextTruncation.truncate(placeholder, toWidth: rect.width - 2), y: rect.y, x: rect.x + 2,
                width: rect.width - 2, role: .dim)
        }
        return (rect.y + position.row - firstVisible, rect.x + 2 + min(position.column, rect.width - 3))
    }

    private func drawStatus(_ state: ChatState, in rect: Rect, now: Double) {
        let content = StatusLine.compose(state, now: now)
        let style = palette.style(content.role, [.reverse])
        let window = nc_stdscr()
        setAttributes(window, style)
        mvwhline(window, Int32(rect.y), Int32(rect.x), chtype(UInt8(ascii: " ")), Int32(rect.width))
        var left = " " + content.left
        if let progress = content.progress {
            let barWidth = min(20, max(5, rect.width / 5))
            let filled = Int((Double(barWidth) * progress).rounded())
            left = " [" + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + "]" + left
        }
        // The left part says what is happening; the figures on the right make way for it.
        var right = content.right + " "
        if DisplayWidth.of(left) + DisplayWidth.of(right) + 1 > rect.width { right = "F1 help " }
        if DisplayWidth.of(left) + DisplayWidth.of(right) + 1 > rect.width { right = "" }
        let rightWidth = DisplayWidth.of(right)
        let leftRoom = max(0, rect.width - rightWidth - 1)
        put(TextTruncation.truncate(left, toWidth: leftRoom), y: rect.y, x: rect.x, width: leftRoom,
            role: content.role, extra: [.reverse])
        if rightWidth < rect.width {
            put(right, y: rect.y, x: rect.x + rect.width - rightWidth, width: rightWidth, role: .status, extra: [.reverse])
        }
    }

    private func drawHelp(_ state: ChatState, size: TerminalSize) {
        let lines = HelpScreen.lines(bindings: state.keyBindings, imageModeReason: state.imageModeReason)
        let width = min(size.columns - 2, max(40, lines.map { DisplayWidth.of($0) }.max() ?? 40) + 4)
        let height = min(size.rows - 2, lines.count + 2)
        let x = (size.columns - width) / 2
        let y = (size.rows - height) / 2
        for row in 0..<height {
            put(String(repeating: " ", count: width), y: y + row, x: x, width: width, role: .selection)
        }
        put(" Keys and commands (any key closes) ", y: y, x: x + 2, width: width - 4, role: .accent, extra: [.reverse, .bold])
        for (i, line) in lines.prefix(height - 2).enumerated() {
            put(TextTruncation.truncate(line, toWidth: width - 4), y: y + 1 + i, x: x + 2, width: width - 4, role: .selection)
        }
    }

    private func drawTooSmall(_ size: TerminalSize) {
        let message = "Terminal too small: \(size.columns)x\(size.rows), XComposer needs \(ScreenLayout.minimumColumns)x\(ScreenLayout.minimumRows)"
        let lines = TextWrapper.wrap(message, width: max(1, size.columns))
        let top = max(0, (size.rows - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < size.rows {
            put(line.text, y: top + i, x: 0, width: size.columns, role: .warning)
        }
        curs_set(0)
    }

    // MARK: - Drawing primitives

    private func drawLine(_ line: StyledLine, y: Int, x: Int, width: Int) {
        var column = 0
        for span in line.spans {
            guard column < width else { break }
            let room = width - column
            let text = DisplayWidth.of(span.text) > room ? TextTruncation.truncate(span.text, toWidth: room, ellipsis: "") : span.text
            put(text, y: y, x: x + column, width: room, role: span.role, extra: span.attributes)
            column += DisplayWidth.of(text)
        }
    }

    /// Writes text that the caller has already fitted to `width` cells.
    private func put(_ text: String, y: Int, x: Int, width: Int, role: ColorRole, extra: TextAttributes = []) {
        guard width > 0, !text.isEmpty else { return }
        let style = palette.style(role, extra)
        let window = nc_stdscr()
        setAttributes(window, style)
        var wide = text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        _ = mvwaddwstr(window, Int32(y), Int32(x), wide)
    }

    /// Sets attributes and an extended colour pair (pairs above 32767 go through `opts`).
    private func setAttributes(_ window: UnsafeMutablePointer<WINDOW>?, _ style: (attributes: attr_t, pair: Int32)) {
        var pair = style.pair
        wattr_set(window, style.attributes, 0, &pair)
    }

    private func putCell(_ cell: PreviewCell, y: Int, x: Int) {
        var character = cchar_t()
        var pair = palette.pair(cell.foreground, cell.background)
        var wide: [wchar_t] = [wchar_t(bitPattern: cell.symbol.value), 0]
        setcchar(&character, &wide, nc_a_normal(), 0, &pair)
        mvwadd_wch(nc_stdscr(), Int32(y), Int32(x), &character)
    }
}
