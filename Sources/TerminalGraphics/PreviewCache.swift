/// What identifies one rendered preview.
public struct PreviewKey: Sendable, Hashable {
    /// Identifies the picture, e.g. its file path plus modification time.
    public var imageKey: String
    public var columns: Int
    public var rows: Int
    public var depth: ColorDepth
    public var style: SymbolStyle

    public init(imageKey: String, columns: Int, rows: Int, depth: ColorDepth, style: SymbolStyle) {
        self.imageKey = imageKey
        self.columns = columns
        self.rows = rows
        self.depth = depth
        self.style = style
    }
}

/// A small least-recently-used cache of rendered previews, so redraws and resizing back and
/// forth never render the same preview twice while it is among the last `capacity` used.
///
/// A value type: the owner (the UI thread) keeps it; it does no locking of its own.
public struct PreviewCache: Sendable {
    public let capacity: Int
    private var grids: [PreviewKey: CellGrid] = [:]
    /// Keys from least to most recently used. Linear updates are fine at this size.
    private var order: [PreviewKey] = []

    /// - Parameter capacity: how many grids to keep (at least 1).
    public init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
    }

    /// How many grids are cached.
    public var count: Int { grids.count }

    /// The cached grid for `key`, which becomes the most recently used; nil if absent.
    public mutating func grid(for key: PreviewKey) -> CellGrid? {
        guard let grid = grids[key] else { return nil }
        touch(key)
        return grid
    }

    /// Caches `grid` under `key` as the most recently used, evicting the least recently used
    /// entry when full.
    public mutating func insert(_ grid: CellGrid, for key: PreviewKey) {
        if grids.updateValue(grid, forKey: key) != nil {
            touch(key)
            return
        }
        order.append(key)
        if order.count > capacity {
            grids[order.removeFirst()] = nil
        }
    }

    /// The cached grid for `key`, or the result of `render` (then cached).
    public mutating func grid(for key: PreviewKey, orRender render: () -> CellGrid) -> CellGrid {
        if let cached = grid(for: key) { return cached }
        let grid = render()
        insert(grid, for: key)
        return grid
    }

    /// Drops every grid (e.g. when the terminal's colour depth changes).
    public mutating func removeAll() {
        grids.removeAll()
        order.removeAll()
    }

    private mutating func touch(_ key: PreviewKey) {
        if let index = order.firstIndex(of: key) {
            order.remove(at: index)
        }
        order.append(key)
    }
}
