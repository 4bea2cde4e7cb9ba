import AppCore
import CNcursesw
import TerminalGraphics

/// Draws the chat state onto the curses screen. Holds the caches that make redraws cheap.
final class ScreenPainter {
    private let palette: Palette
    private let canvas: CellCanvas
    private let transcriptRenderer = TranscriptRenderer()
    let previews: ImagePreviewer
    /// Sixel mode: the pane's picture area is left blank for `SixelOverlay` to paint.
    let leavesPictureToSixels: Bool
    /// Where the picture went in the last frame (below the pane's title row), with its file.
    private(set) var lastPicture: (path: String, area: Rect)?

    init(palette: Palette, previews: ImagePreviewer, leavesPictureToSixels: Bool) {
        self.palette = palette
        canvas = CellCanvas(palette: palette)
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
            canvas.drawLine(lines[first + row], y: rect.y + row, x: rect.x, width: rect.width)
        }
        if scroll > 0 {
            let marker = " ↓ \(scroll) more · End "
            canvas.put(marker, y: rect.y + rect.height - 1, x: rect.x + max(0, rect.width - DisplayWidth.of(marker)),
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
        canvas.put(TextTruncation.truncate(title, toWidth: pane.width), y: pane.y, x: pane.x, width: pane.width, role: .accent)
        let area = Rect(x: pane.x, y: pane.y + 1, width: pane.width, height: pane.height - 1)
        if leavesPictureToSixels {
            if case let .failure(error) = previews.image(for: image.path) {
                canvas.put(TextTruncation.truncate(error.description, toWidth: area.width), y: area.y, x: area.x,
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
                    canvas.putCell(cell, y: area.y + row, x: left + column)
                }
            }
        case let .failure(message):
            for (i, line) in TextWrapper.wrap(message, width: area.width).prefix(area.height).enumerated() {
                canvas.put(line.text, y: area.y + i, x: area.x, width: area.width, role: .error)
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
        canvas.drawLine(StyledLine(spans: spans), y: rect.y, x: rect.x, width: rect.width)
    }

    /// Draws the input box and returns where the cursor goes.
    private func drawInput(_ state: ChatState, lines: [WrappedLine], in rect: Rect) -> (y: Int, x: Int) {
        let promptRole: ColorRole = state.activity.isBusy ? .dim : .accent
        canvas.put("›", y: rect.y, x: rect.x, width: 2, role: promptRole)
        let position = TextWrapper.locate(offset: state.editor.cursor, in: lines)
        let firstVisible = max(0, position.row - rect.height + 1)
        for row in 0..<rect.height where firstVisible + row < lines.count {
            canvas.put(lines[firstVisible + row].text, y: rect.y + row, x: rect.x + 2, width: rect.width - 2, role: .text)
        }
        if state.editor.isEmpty {
            let placeholder = state.model == nil ? "type /help, or wait for the model" : "Ask anything · /image PATH attaches a picture · ? for help"
            canvas.put(TextTruncation.truncate(placeholder, toWidth: rect.width - 2), y: rect.y, x: rect.x + 2,
                width: rect.width - 2, role: .dim)
        }
        return (rect.y + position.row - firstVisible, rect.x + 2 + min(position.column, rect.width - 3))
    }

    private func drawStatus(_ state: ChatState, in rect: Rect, now: Double) {
        let content = StatusLine.compose(state, now: now)
        let style = palette.style(content.role, [.reverse])
        let window = nc_stdscr()
        canvas.setAttributes(window, style)
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
        canvas.put(TextTruncation.truncate(left, toWidth: leftRoom), y: rect.y, x: rect.x, width: leftRoom,
            role: content.role, extra: [.reverse])
        if rightWidth < rect.width {
            canvas.put(right, y: rect.y, x: rect.x + rect.width - rightWidth, width: rightWidth, role: .status, extra: [.reverse])
        }
    }

    private func drawHelp(_ state: ChatState, size: TerminalSize) {
        let lines = HelpScreen.lines(bindings: state.keyBindings, imageModeReason: state.imageModeReason)
        let width = min(size.columns - 2, max(40, lines.map { DisplayWidth.of($0) }.max() ?? 40) + 4)
        let height = min(size.rows - 2, lines.count + 2)
        let x = (size.columns - width) / 2
        let y = (size.rows - height) / 2
        for row in 0..<height {
            canvas.put(String(repeating: " ", count: width), y: y + row, x: x, width: width, role: .selection)
        }
        canvas.put(" Keys and commands (any key closes) ", y: y, x: x + 2, width: width - 4, role: .accent, extra: [.reverse, .bold])
        for (i, line) in lines.prefix(height - 2).enumerated() {
            canvas.put(TextTruncation.truncate(line, toWidth: width - 4), y: y + 1 + i, x: x + 2, width: width - 4, role: .selection)
        }
    }

    private func drawTooSmall(_ size: TerminalSize) {
        let message = "Terminal too small: \(size.columns)x\(size.rows), XComposer needs \(ScreenLayout.minimumColumns)x\(ScreenLayout.minimumRows)"
        let lines = TextWrapper.wrap(message, width: max(1, size.columns))
        let top = max(0, (size.rows - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < size.rows {
            canvas.put(line.text, y: top + i, x: 0, width: size.columns, role: .warning)
        }
        curs_set(0)
    }
}
