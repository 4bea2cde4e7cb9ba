/// An owned, fixed-size block of `Float`s with a stable address, for weights and activations
/// that are handed to OpenBLAS and the C kernels as raw pointers.
///
/// Swift arrays would need a `withUnsafe…` closure around every call and may move; this keeps
/// the forward pass readable. Contents are written only while the owning model runs one job,
/// so sharing the reference across threads is safe under that rule.
final class FloatBuffer: @unchecked Sendable {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>

    /// `count` zeros.
    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { pointer.deallocate() }

    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
