import CKernels

/// A row-major weight matrix in one of GGML's element types, usually a view into a memory-mapped
/// model file (never copied).
///
/// `rows` is the output size and `columns` the input size of the linear map `y = W x`; in GGUF
/// terms `columns` is `ne0` and `rows` is `ne1`.
public struct WeightMatrix: @unchecked Sendable {
    public let type: GGMLType
    public let rows: Int
    public let columns: Int
    /// Start of row 0. Owned by whoever keeps the mapping alive (the loaded model).
    public let data: UnsafeRawPointer

    public init(type: GGMLType, rows: Int, columns: Int, data: UnsafeRawPointer) {
        precondition(type.isComputable, "\(type) weights cannot be computed with")
        precondition(columns % (type.blockElements ?? 1) == 0, "row length not a whole number of blocks")
        self.type = type
        self.rows = rows
        self.columns = columns
        self.data = data
    }

    /// Bytes of one row.
    public var rowBytes: Int { Int(ck_row_bytes(type.ckType, Int64(columns))) }

    /// Dequantises rows `range` into `destination` (`range.count × columns` floats).
    public func dequantizeRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        ck_dequantize_rows(type.ckType, data, Int64(columns), destination,
                           Int64(range.lowerBound), Int64(range.upperBound))
    }
}

extension GGMLType {
    /// The type id as the C kernels take it.
    @inlinable public var ckType: Int32 { Int32(bitPattern: rawValue) }
}
