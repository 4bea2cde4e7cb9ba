import Glibc

/// Keys and values of every layer for several sequence slots, in f32.
///
/// Layout: `[slot][layer][position][kvWidth]` for keys, the same for values, so that a sequence
/// using its first `n` positions touches only the first `n` rows of each layer. The memory is one
/// anonymous mapping reserved for the whole context: the kernel backs pages only when they are
/// first written, so resident memory grows with the positions actually used, not with the
/// configured context length or the number of slots.
final class KVCache {
    let slots: Int
    let layers: Int
    let positions: Int
    let width: Int
    private let base: UnsafeMutablePointer<Float>
    private let byteCount: Int

    /// Returns nil when the address space cannot be reserved.
    init?(slots: Int, layers: Int, positions: Int, width: Int) {
        self.slots = slots
        self.layers = layers
        self.positions = positions
        self.width = width
        let floats = 2 * slots * layers * positions * width
        byteCount = floats * MemoryLayout<Float>.stride
        let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let mapped, mapped != MAP_FAILED else { return nil }
        base = mapped.assumingMemoryBound(to: Float.self)
    }

    deinit { munmap(base, byteCount) }

    /// Keys of `layer` in `slot`: `positions × width` floats, row `p` for position `p`.
    @inline(__always) func keys(slot: Int, layer: Int) -> UnsafeMutablePointer<Float> {
        base + ((slot * layers + layer) * 2) * positions * width
    }

    /// Values of `layer` in `slot`, laid out like `keys`.
    @inline(__always) func values(slot: Int, layer: Int) -> UnsafeMutablePointer<Float> {
        base + ((slot * layers + layer) * 2 + 1) * positions * width
    }

    /// Copies the first `length` positions of every layer from one slot to another.
    func copy(from source: Int, to destination: Int, length: Int) {
        guard source != destination, length > 0 else { return }
        let count = length * width
        for layer in 0..<layers {
            keys(slot: destination, layer: layer).update(from: keys(slot: source, layer: layer), count: count)
            values(slot: destination, layer: layer).update(from: values(slot: source, layer: layer), count: count)
        }
    }
}
