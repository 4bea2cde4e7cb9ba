import CChafa

/// Process-wide libchafa set-up, done once before the first canvas is made.
///
/// chafa starts a worker pool sized to the CPU count by default; on this app's machines the
/// inference engine owns the cores, so chafa is limited to the calling thread.
enum ChafaRuntime {
    /// Evaluated lazily and exactly once (Swift globals are initialised thread-safely).
    private static let configured: Void = {
        chafa_set_n_threads(1)
    }()

    /// Call before using any chafa canvas.
    static func ensureConfigured() {
        _ = configured
    }

    /// The largest canvas, in cells per side, that the renderers build: keeps a bad size from
    /// asking chafa (and the cell array) for gigabytes.
    static let maximumCells = 1024

    /// Whether `image` can be handed to chafa, whose sizes and row stride are 32-bit.
    static func fitsChafa(width: Int, height: Int) -> Bool {
        width > 0 && height > 0 && width <= Int(Int32.max) / 4 && height <= Int(Int32.max)
    }
}
