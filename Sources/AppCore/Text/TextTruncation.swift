/// Fitting a string into a number of terminal cells.
public enum TextTruncation {
    /// `s` unchanged if it fits in `toWidth` cells; otherwise its longest prefix of whole
    /// clusters that leaves room for `ellipsis`, followed by `ellipsis`. The result is never
    /// wider than `toWidth` (it can be one cell narrower when a wide character would straddle
    /// the edge); if even the ellipsis does not fit, as much of the ellipsis as fits.
    public static func truncate(_ s: String, toWidth: Int, ellipsis: String = "…") -> String {
        let limit = max(0, toWidth)
        if DisplayWidth.of(s) <= limit { return s }
        let ellipsisWidth = DisplayWidth.of(ellipsis)
        if ellipsisWidth > limit { return prefix(ellipsis, cells: limit).text }
        return prefix(s, cells: limit - ellipsisWidth).text + ellipsis
    }

    /// `s` made exactly `toWidth` cells wide: truncated with "…" if too wide, then padded with
    /// spaces on the right.
    public static func padded(_ s: String, toWidth: Int) -> String {
        let limit = max(0, toWidth)
        let fitted = truncate(s, toWidth: limit)
        let width = DisplayWidth.of(fitted)
        return width < limit ? fitted + String(repeating: " ", count: limit - width) : fitted
    }

    /// Shortens from the middle, keeping the end, which names the thing: a path keeps its first
    /// component and as many whole trailing components as fit (`/home/…/photos/cat.png`), then
    /// just the file name (`…/cat.png`); anything else (or a file name that alone is too long)
    /// keeps its start and, with the larger share, its end around `ellipsis`.
    public static func middleTruncate(_ s: String, toWidth: Int, ellipsis: String = "…") -> String {
        let limit = max(0, toWidth)
        if DisplayWidth.of(s) <= limit { return s }
        if let path = pathTruncate(s, limit: limit, ellipsis: ellipsis) { return path }
        let ellipsisWidth = DisplayWidth.of(ellipsis)
        if ellipsisWidth > limit { return prefix(ellipsis, cells: limit).text }
        let room = limit - ellipsisWidth
        let head = prefix(s, cells: room / 2)
        let tail = suffix(s, cells: room - head.width)
        return head.text + ellipsis + tail
    }

    /// The path-aware part of `middleTruncate`, or nil when `s` is not a path that can be shown
    /// with at least its whole last component.
    private static func pathTruncate(_ s: String, limit: Int, ellipsis: String) -> String? {
        var components = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard components.count >= 3 else { return nil }
        // "/home/…": an absolute path's head is the empty first component plus the next one.
        let leading = components.removeFirst()
        let head: String
        if leading.isEmpty {
            head = "/" + components.removeFirst()
        } else {
            head = leading
        }
        guard let last = components.last, !last.isEmpty else { return nil }
        let marker = ellipsis + "/"
        var tail = last
        let withHead = head + "/" + marker
        if DisplayWidth.of(withHead) + DisplayWidth.of(tail) <= limit {
            for component in components.dropLast().reversed() {
                let longer = component + "/" + tail
                if DisplayWidth.of(withHead) + DisplayWidth.of(longer) > limit { break }
                tail = longer
            }
            return withHead + tail
        }
        if DisplayWidth.of(marker) + DisplayWidth.of(tail) <= limit { return marker + tail }
        return nil
    }

    /// The longest prefix of whole clusters at most `cells` wide, and its width.
    static func prefix(_ s: String, cells: Int) -> (text: String, width: Int) {
        var width = 0
        var end = s.startIndex
        for index in s.indices {
            let w = DisplayWidth.of(s[index])
            if width + w > cells { break }
            width += w
            end = s.index(after: index)
        }
        return (String(s[..<end]), width)
    }

    /// The longest suffix of whole clusters at most `cells` wide.
    static func suffix(_ s: String, cells: Int) -> String {
        var width = 0
        var start = s.endIndex
        while start > s.startIndex {
            let before = s.index(before: start)
            let w = DisplayWidth.of(s[before])
            if width + w > cells { break }
            width += w
            start = before
        }
        return String(s[start...])
    }
}
