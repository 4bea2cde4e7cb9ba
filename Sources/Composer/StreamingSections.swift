/// Cuts the article step's streamed answer into sections as the lines complete, so a live view
/// can show each paragraph the moment its line ends.
///
/// Feeding the whole answer piece by piece yields the same sections, in the same order, as
/// `ComposeParsers.article` on the finished text: both parsers work line by line (the XComposer
/// one also drops the spaces and tabs that open a line after the first), and at most
/// `maxSections` come out.
public struct StreamingSections: Sendable {
    private let parsers: ComposeParsers
    private let maxSections: Int
    /// The line still being written.
    public private(set) var pending = ""
    private var lineCount = 0
    private var emitted = 0

    public init(parsers: ComposeParsers, maxSections: Int = ComposePrompts.maxSections) {
        self.parsers = parsers
        self.maxSections = maxSections
    }

    /// Adds streamed text; returns the sections whose lines it completed.
    public mutating func feed(_ piece: String) -> [String] {
        var sections: [String] = []
        for character in piece {
            if character == "\n" || character == "\r\n" {
                sections += finishLine()
            } else {
                pending.append(character)
            }
        }
        return sections
    }

    /// The answer ended: the last line's section, if it has one.
    public mutating func finish() -> [String] {
        pending.isEmpty ? [] : finishLine()
    }

    /// The unfinished line as it would read if it ended now (for the live view).
    public var pendingPreview: String {
        parsers.article(pending).value.first ?? ""
    }

    private mutating func finishLine() -> [String] {
        var line = pending
        pending = ""
        if parsers.family == .xcomposer, lineCount > 0 {
            line = String(line.drop { $0 == " " || $0 == "\t" })
        }
        lineCount += 1
        guard emitted < maxSections else { return [] }
        let sections = Array(parsers.article(line).value.prefix(maxSections - emitted))
        emitted += sections.count
        return sections
    }
}
