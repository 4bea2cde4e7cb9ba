import CKernels
import Glibc
import Tensors

/// Keys and values of every layer for several sequence slots.
///
/// Two layouts, one per `Numerics`:
/// - precise: f32, keys and values both `[position][kvWidth]`;
/// - llamaCpp: f16 as llama.cpp keeps them, keys `[position][kvWidth]` and values transposed,
///   `[kvWidth][position]`, so each output dimension of attention is one contiguous dot product
///   in llama.cpp's summation order.
///
/// The memory is one anonymous mapping reserved for every slot's full context: the kernel backs
/// pages only when first written, so resident memory grows with the positions actually used.
final class KVCache {
    let slots: Int
    let layers: Int
    /// Positions per slot, a multiple of 32 (llama.cpp attends over cells in steps of 32).
    let positions: Int
    let width: Int
    let halfPrecision: Bool
    private let base: UnsafeMutableRawPointer
    private let byteCount: Int
    private let elementBytes: Int

    /// Returns nil when the address space cannot be reserved.
    init?(slots: Int, layers: Int, positions: Int, width: Int, halfPrecision: Bool) {
        self.slots = slots
        self.layers = layers
        self.positions = (positions + 31) / 32 * 32
        self.width = width
        self.halfPrecision = halfPrecision
        elementBytes = halfPrecision ? 2 : 4
        byteCount = 2 * slots * layers * self.positions * width * elementBytes
        let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let mapped, mapped != MAP_FAILED else { return nil }
        base = mapped
    }

    deinit { munmap(base, byteCount) }

    private func region(slot: Int, layer: Int, values: Bool) -> UnsafeMutableRawPointer {
        base + (((slot * layers + layer) * 2 + (values ? 1 : 0)) * positions * width) * elementBytes
    }

    /// f32 keys (precise layout): `positions × width`.
    @inline(__always) func keys(slot: Int, layer: Int) -> UnsafeMutablePointer<Float> {
        region(slot: slot, layer: layer, values: false).assumingMemoryBound(to: Float.self)
    }

    /// f32 values (precise layout): `positions × width`.
    @inline(__always) func values(slot: Int, layer: Int) -> UnsafeMutablePointer<Float> {
        region(slot: slot, layer: layer, values: true).assumingMemoryBound(to: Float.self)
    }

    /// f16 keys (llamaCpp layout): `positions × width`.
    @inline(__always) func halfKeys(slot: Int, layer: Int) -> UnsafeMutablePointer<UInt16> {
        region(slot: slot, layer: layer, values: false).assumingMemoryBound(to: UInt16.self)
    }

    /// f16 values, transposed (llamaCpp layout): `width × positions`.
    @inline(__always) func halfValuesTransposed(slot: Int, layer: Int) -> UnsafeMutablePointer<UInt16> {
        region(slot: slot, layer: layer, values: true).assumingMemoryBound(to: UInt16.self)
    }

    /// Stores one position's key and value rows.
    func store(slot: Int, layer: Int, position: Int, key: UnsafePointer<Float>, value: UnsafePointer<Float>) {
        if halfPrecision {
            ck_lc_to_f16(key, halfKeys(slot: slot, layer: layer) + position * width, Int64(width))
            let transposed = halfValuesTransposed(slot: slot, layer: layer)
            for d in 0..<width { transposed[d * positions + position] = halfBits(value[d]) }
        } else {
            (keys(slot: slot, layer: layer) + position * width).update(from: key, count: width)
            (values(slot: slot, layer: layer) + position * width).update(from: value, count: width)
        }
    }

    private func halfBits(_ value: Float) -> UInt16 {
        var bits: UInt16 = 0
        var v = value
        ck_lc_to_f16(&v, &bits, 1)
        return bits
    }

    /// Copies the first `length` positions of every layer from one slot to another.
    func copy(from source: Int, to destination: Int, length: Int) {
        guard source != destination, length > 0 else { return }
        for layer in 0..<layers {
            if halfPrecision {
                halfKeys(slot: destination, layer: layer)
                    .update(from: halfKeys(slot: source, layer: layer), count: length * width)
                let from = halfValuesTransposed(slot: source, layer: layer)
                let to = halfValuesTransposed(slot: destination, layer: layer)
                for d in 0..<width { (to + d * positions).update(from: from + d * positions, count: length) }
            } else {
                keys(slot: destination, layer: layer).update(from: keys(slot: source, layer: layer), count: length * width)
                values(slot: destination, layer: layer).update(from: values(slot: source, layer: layer), count: length * width)
            }
        }
    }
}
