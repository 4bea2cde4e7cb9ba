import AppCore
import CNcursesw
import TerminalGraphics

/// Draws the compose screen: a title bar, the article canvas with its pictures, the input or
/// hint row and the status line.
final class ComposePainter {
    private let canvas: CellCanvas
    private let previews: ImagePreviewer
    /// Sixel mode: pictures wholly in view are left blank for sixels; those cut by the edge of
    /// the view are drawn as symbols.
    let leavesPicturesToSixels: Bool
    /// The pictures left blank in the last frame, in screen cells, for the sixel pass.
    private(set) var sixelPlacements: [PicturePlacement] = []
    /// First canvas row on screen; kept between frames so the view does not jump.
    private var viewTop = 0

    init(palette: Palette, previews: ImagePreviewer, leavesPicturesToSixels: Bool = false) {
        canvas = CellCanvas(palette: palette)
        self.previews = previews
        self.leavesPicturesToSixels = leavesPicturesToSixels
    }

    func draw(_ state: ComposeState, size: TerminalSize, now: Double) {
        let window = nc_stdscr()
        let base = canvas.palette.style(.text)
        wbkgdset(window, chtype(base.attributes) | chtype(nc_color_pair(base.pair)))
        werase(window)
        sixelPlacements = []
        guard size.columns >= ScreenLayout.minimumColumns, size.rows >= ScreenLayout.minimumRows else {
            let message = "Terminal too small: \(size.columns)x\(size.rows), XComposer needs \(ScreenLayout.minimumColumns)x\(ScreenLayout.minimumRows)"
            for (i, line) in TextWrapper.wrap(message, width: max(1, size.columns)).enumerated() where i < size.rows {
                canvas.put(line.text, y: i, x: 0, width: size.columns, role: .warning)
            }
            curs_set(0)
            wnoutrefresh(window)
            return
        }
        let area = Rect(x: 0, y: 1, width: size.columns, height: size.rows - 3)
        let position = drawArticle(state, in: area)
        drawTitleBar(state, width: size.columns, position: position)
        let cursor = drawInputRow(state, y: size.rows - 2, width: size.columns)
        drawStatus(state, y: size.rows - 1, width: size.columns, now: now)
        if case let .choosingDraft(drafts, selected) = state.mode {
            drawDrafts(drafts, selected: selected, size: size)
        }
        if state.showHelp {
            drawOverlay(title: " Compose: keys and commands (any key closes) ", lines: ComposeHelp.lines, size: size)
        }
        if let cursor, !state.showHelp {
            curs_set(1)
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
    }

    /// The title bar; `position` ("12-40/95") says which rows of the article are in view.
    private func drawTitleBar(_ state: ComposeState, width: Int, position: String?) {
        let left = " XComposer · compose" + (position.map { " · rows \($0)" } ?? "")
        var right = state.modelName ?? (state.modelFailure == nil ? "loading the model…" : "no model")
        if let path = state.sourcePath { right = (path.split(separator: "/").last.map(String.init) ?? path) + " · " + right }
        if let id = state.draftID { right = "draft \(id) · " + right }
        right += " "
        let fill = max(0, width - DisplayWidth.of(left) - DisplayWidth.of(right))
        let text = TextTruncation.truncate(left + String(repeating: " ", count: fill) + right, toWidth: width)
        canvas.put(text, y: 0, x: 0, width: width, role: .accent, extra: [.reverse])
    }

    /// Draws the part of the article in view; returns which rows those are when it does not all fit.
    private func drawArticle(_ state: ComposeState, in area: Rect) -> String? {
        let sizes = ArticleLayout.Sizes.forScreen(rows: area.height + 3)
        let layout = ArticleLayout.layout(state, width: area.width - 1, sizes: sizes)
        let total = layout.lines.count
        if state.followsOutput && state.isBusy {
            viewTop = max(0, total - area.height)
        } else if let rows = layout.blockRows[state.focus] {
            if rows.lowerBound < viewTop { viewTop = rows.lowerBound }
            // A block taller than the view shows its top.
            if rows.upperBound > viewTop + area.height {
                viewTop = min(rows.lowerBound, rows.upperBound - area.height)
            }
        }
        viewTop = max(0, min(viewTop, max(0, total - area.height)))
        for row in 0..<area.height where viewTop + row < total {
            canvas.drawLine(layout.lines[viewTop + row], y: area.y + row, x: area.x, width: area.width)
        }
        for picture in layout.pictures {
            drawPicture(picture, in: area)
        }
        return total > area.height ? "\(viewTop + 1)-\(min(total, viewTop + area.height))/\(total)" : nil
    }

    /// Draws the rows of a picture that fall inside the view.
    private func drawPicture(_ picture: PicturePlacement, in area: Rect) {
        let top = picture.row - viewTop
        guard top + picture.rows > 0, top < area.height, picture.width >= 2 else { return }
        if leavesPicturesToSixels, top >= 0, top + picture.rows <= area.height,
           case .success = previews.image(for: picture.path) {
            var placed = picture
            placed.row = area.y + top
            placed.x = area.x + picture.x
            sixelPlacements.append(placed)
            return
        }
        switch previews.grid(for: picture.path, columns: picture.width, rows: picture.rows) {
        case let .success(grid):
            let left = picture.x + (picture.centred ? (picture.width - grid.columns) / 2 : 0)
            for row in 0..<grid.rows where top + row >= 0 && top + row < area.height {
                for column in 0..<grid.columns {
                    canvas.putCell(grid[column, row], y: area.y + top + row, x: area.x + left + column)
                }
            }
        case let .failure(message):
            if top >= 0 {
                canvas.put(TextTruncation.truncate(message, toWidth: picture.width), y: area.y + top, x: area.x + picture.x,
                           width: picture.width, role: .error)
            }
        }
    }

    /// The row above the status line: what is being typed, or the keys that matter here.
    private func drawInputRow(_ state: ComposeState, y: Int, width: Int) -> (y: Int, x: Int)? {
        let prompt: String
        switch state.mode {
        case .editing(.title): prompt = "Title › "
        case .editing(.paragraph): prompt = "✎ Paragraph › "
        case .editing(.slot): prompt = "Caption › "
        case .command: prompt = ""
        case .askingTitle: prompt = "Title or instruction for a new article › "
        case .browsing, .choosingDraft:
            let hint = state.isBusy
                ? " Esc stops · edit, move and pick while the model works · ? keys"
                : " n new article · Enter edit · a add image · ←/→ candidates · Ctrl-E export · / commands · ? keys"
            canvas.put(TextTruncation.truncate(hint, toWidth: width), y: y, x: 0, width: width, role: .dim)
            return nil
        }
        canvas.put(prompt, y: y, x: 0, width: width, role: .accent)
        let start = DisplayWidth.of(prompt)
        let room = max(1, width - start - 1)
        // One row: scroll the text so the cursor stays visible.
        let characters = Array(state.editor.text)
        let cursor = min(state.editor.cursor, characters.count)
        var first = 0
        while DisplayWidth.of(String(characters[first..<cursor])) > room - 1 { first += 1 }
        var shown = ""
        for character in characters[first...] {
            if DisplayWidth.of(shown + String(character)) > room { break }
            shown.append(character)
        }
        canvas.put(shown, y: y, x: start, width: room, role: .text)
        return (y, start + DisplayWidth.of(String(characters[first..<cursor])))
    }

    private func drawStatus(_ state: ComposeState, y: Int, width: Int, now: Double) {
        var left: String
        var role: ColorRole = .status
        if let notice = state.notice, notice.expiresAt > now {
            left = notice.text
            role = notice.severity == .error ? .error : (notice.severity == .warning ? .warning : .status)
        } else if let job = state.job {
            let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
            let elapsed = max(0, now - job.startedAt)
            left = "\(frames[Int(elapsed * 10) % frames.count]) \(job.name) · \(job.step) · \(Int(elapsed)) s"
            if let fraction = job.fraction {
                let width = 20, filled = Int((Double(width) * fraction).rounded())
                left = "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "] " + left
            }
        } else {
            let content = state.content
            let placed = content.slots.filter { $0.chosen != nil }.count
            left = "\(content.paragraphs.count) paragraphs · \(placed) of \(content.slots.count) images placed"
        }
        let right = state.draftID == nil ? "not saved yet " : "draft saved "
        let room = max(0, width - DisplayWidth.of(right) - 1)
        canvas.put(String(repeating: " ", count: width), y: y, x: 0, width: width, role: .status, extra: [.reverse])
        canvas.put(TextTruncation.truncate(" " + left, toWidth: room), y: y, x: 0, width: room, role: role, extra: [.reverse])
        canvas.put(right, y: y, x: width - DisplayWidth.of(right), width: DisplayWidth.of(right), role: .status, extra: [.reverse])
    }

    private func drawDrafts(_ drafts: [DraftListing], selected: Int, size: TerminalSize) {
        let lines = drafts.enumerated().map { index, draft in
            let title = draft.title.isEmpty ? "Untitled" : draft.title
            return "\(index == selected ? "›" : " ") \(draft.id)  \(title)  (\(draft.paragraphCount) paragraphs, \(draft.imageCount) images)"
        }
        drawOverlay(title: " Drafts: ↑/↓ choose · Enter opens · Esc closes ", lines: lines, size: size, highlighted: selected)
    }

    private func drawOverlay(title: String, lines: [String], size: TerminalSize, highlighted: Int? = nil) {
        let width = min(size.columns - 2, max(DisplayWidth.of(title) + 4, (lines.map { DisplayWidth.of($0) }.max() ?? 40) + 4))
        let height = min(size.rows - 2, lines.count + 2)
        let x = (size.columns - width) / 2
        let y = (size.rows - height) / 2
        for row in 0..<height {
            canvas.put(String(repeating: " ", count: width), y: y + row, x: x, width: width, role: .selection)
        }
        canvas.put(TextTruncation.truncate(title, toWidth: width - 4), y: y, x: x + 2, width: width - 4, role: .accent, extra: [.reverse, .bold])
        let first = max(0, min((highlighted ?? 0) - (height - 3), lines.count - (height - 2)))
        for (i, line) in lines.dropFirst(first).prefix(height - 2).enumerated() {
            let extra: TextAttributes = first + i == highlighted ? [.reverse] : []
            canvas.put(TextTruncation.truncate(line, toWidth: width - 4), y: y + 1 + i, x: x + 2, width: width - 4,
                       role: .selection, extra: extra)
        }
    }
}
