/// A rectangle of character cells.
public struct Rect: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var isEmpty: Bool { width == 0 || height == 0 }
}

/// Where each pane of the chat screen goes for a terminal size. Pure, so every size can be tested.
///
/// From the bottom up: the status line, the input box (growing with its text up to a quarter of the
/// screen), a title row over the input that carries the image chips, and the transcript filling the
/// rest. The image pane sits right of the transcript on wide terminals, above it on tall narrow
/// ones, and is left out when there is no room for a useful picture.
public struct ScreenLayout: Sendable, Equatable {
    public var transcript: Rect
    public var imagePane: Rect?
    public var inputTitle: Rect
    public var input: Rect
    public var status: Rect
    /// Below the minimum size nothing but a notice is drawn.
    public var isTooSmall: Bool

    public static let minimumColumns = 40
    public static let minimumRows = 12

    public static func compute(columns: Int, rows: Int, inputLines: Int, wantsImagePane: Bool) -> ScreenLayout {
        let none = Rect(x: 0, y: 0, width: 0, height: 0)
        guard columns >= minimumColumns, rows >= minimumRows else {
            return ScreenLayout(transcript: none, imagePane: nil, inputTitle: none, input: none,
                                status: none, isTooSmall: true)
        }
        let status = Rect(x: 0, y: rows - 1, width: columns, height: 1)
        let inputHeight = min(max(inputLines, 1), max(1, rows / 4))
        let input = Rect(x: 0, y: status.y - inputHeight, width: columns, height: inputHeight)
        let inputTitle = Rect(x: 0, y: input.y - 1, width: columns, height: 1)
        let area = Rect(x: 0, y: 0, width: columns, height: inputTitle.y)

        guard wantsImagePane else {
            return ScreenLayout(transcript: area, imagePane: nil, inputTitle: inputTitle, input: input,
                                status: status, isTooSmall: false)
        }
        if columns >= 90 {
            let paneWidth = min(56, columns * 2 / 5)
            let pane = Rect(x: columns - paneWidth, y: 0, width: paneWidth, height: area.height)
            // One blank column between the transcript and the picture.
            let transcript = Rect(x: 0, y: 0, width: columns - paneWidth - 1, height: area.height)
            return ScreenLayout(transcript: transcript, imagePane: pane, inputTitle: inputTitle,
                                input: input, status: status, isTooSmall: false)
        }
        if area.height >= 16 {
            let paneHeight = min(12, max(6, area.height / 3))
            let pane = Rect(x: 0, y: 0, width: columns, height: paneHeight)
            let transcript = Rect(x: 0, y: paneHeight, width: columns, height: area.height - paneHeight)
            return ScreenLayout(transcript: transcript, imagePane: pane, inputTitle: inputTitle,
                                input: input, status: status, isTooSmall: false)
        }
        return ScreenLayout(transcript: area, imagePane: nil, inputTitle: inputTitle, input: input,
                            status: status, isTooSmall: false)
    }
}
