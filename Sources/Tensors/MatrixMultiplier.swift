import CKernels
import COpenBLAS

/// Multiplies weight matrices by activations on a `ComputePool`, with scratch memory allocated
/// once and reused, so the decode loop allocates nothing.
///
/// Two paths:
/// - **Few vectors** (decode, beams): the quantised weights are read directly by the C kernels,
///   each weight row once for all vectors. Activations are first "prepared" per weight type:
///   quantised to Q8 exactly as llama.cpp does (`.llamaCpp`), or kept f32 (`.precise`).
/// - **Many vectors** (prompt prefill): each thread dequantises a tile of weight rows into a
///   small f32 buffer that stays in cache and multiplies it with OpenBLAS `sgemm` on one thread;
///   the pool provides the parallelism, so OpenBLAS's own threads are kept at one. This path
///   keeps activations in f32 whatever the `Numerics`.
public final class MatrixMultiplier: @unchecked Sendable {
    public let pool: ComputePool
    /// The arithmetic of the direct (decode) path.
    public let numerics: Numerics

    /// Vectors at or below this count take the direct quantised path.
    public static let directPathMaxVectors = 8
    /// Weight rows dequantised at a time by each thread on the sgemm path.
    static let tileRows = 64

    private var preparedActivations: UnsafeMutableRawPointer
    private var preparedCapacity: Int
    private var tiles: [UnsafeMutablePointer<Float>]
    private var tileCapacity: Int

    public init(pool: ComputePool, numerics: Numerics) {
        self.pool = pool
        self.numerics = numerics
        preparedCapacity = 0
        preparedActivations = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        tileCapacity = 0
        tiles = (0..<pool.threadCount).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: 1) }
        openblas_set_num_threads(1)
    }

    deinit {
        preparedActivations.deallocate()
        for tile in tiles { tile.deallocate() }
    }

    /// `output[v * outputStride + r] = (W · input_v)[r]` for `vectors` inputs that follow each
    /// other `inputStride` floats apart.
    public func multiply(_ group: LinearGroup, input: UnsafePointer<Float>, inputStride: Int, vectors: Int) {
        if vectors <= Self.directPathMaxVectors {
            multiplyDirect(group, input: input, inputStride: inputStride, vectors: vectors)
        } else {
            for index in 0..<group.weights.count {
                multiplyBlas(group.weights[index], input: input, inputStride: inputStride, vectors: vectors,
                             output: group.outputs[index], outputStride: group.outputStrides[index])
            }
        }
    }

    // MARK: - Direct quantised path

    private func multiplyDirect(_ group: LinearGroup, input: UnsafePointer<Float>, inputStride: Int,
                                vectors: Int) {
        let plan = group.plan(for: numerics)
        ensurePreparedCapacity(plan.bytes)
        let prepared = preparedActivations
        // Quantise (or copy) the activations once per distinct kernel and weight type.
        for preparation in plan.preparations {
            for v in 0..<vectors {
                let source = input + v * inputStride
                let destination = prepared + preparation.offset + v * preparation.stride
                switch preparation.kernel {
                case .llamaExact:
                    ck_lc_act_prepare(preparation.type, source, destination, Int64(preparation.columns))
                case let .general(precise):
                    ck_act_prepare(preparation.type, source, destination, Int64(preparation.columns), precise)
                }
            }
        }
        // Split the concatenated rows of all matrices evenly between the threads.
        pool.run { part, parts in
            let mine = ComputePool.split(group.totalRows, parts: parts, part: part, granularity: 4)
            var first = 0
            for index in 0..<group.weights.count {
                let weight = group.weights[index]
                let lower = max(mine.lowerBound, first) - first
                let upper = min(mine.upperBound, first + weight.rows) - first
                if lower < upper {
                    let preparation = plan.preparations[plan.preparationIndex[index]]
                    let activations = UnsafeRawPointer(prepared + preparation.offset)
                    switch preparation.kernel {
                    case .llamaExact:
                        ck_lc_matmul_rows(weight.type.ckType, weight.data, Int64(weight.columns),
                                          activations, Int64(preparation.stride), Int32(vectors),
                                          group.outputs[index], Int64(group.outputStrides[index]),
                                          Int64(lower), Int64(upper))
                    case let .general(precise):
                        ck_matmul_rows(weight.type.ckType, weight.data, Int64(weight.columns),
                                       activations, Int64(preparation.stride), Int32(vectors),
                                       group.outputs[index], Int64(group.outputStrides[index]),
                                       Int64(lower), Int64(upper), precise)
                    }
                }
                first += weight.rows
            }
        }
    }

    private func ensurePreparedCapacity(_ bytes: Int) {
        if bytes <= preparedCapacity { return }
        preparedActivations.deallocate()
        preparedCapacity = max(bytes, preparedCapacity * 2)
        preparedActivations = UnsafeMutableRawPointer.allocate(byteCount: preparedCapacity, alignment: 64)
    }

    // MARK: - Dequantise-and-sgemm path

    private func multiplyBlas(_ weight: WeightMatrix, input: UnsafePointer<Float>,
                              inputStride: Int, vectors: Int,
                              output: UnsafeMutablePointer<Float>, outputStride: Int) {
        let tileRows = Self.tileRows
        ensureTileCapacity(tileRows * weight.columns)
        let tiles = self.tiles
        let isF32 = weight.type == .f32
        pool.run { part, parts in
            let mine = ComputePool.split(weight.rows, parts: parts, part: part, granularity: tileRows)
            var row = mine.lowerBound
            while row < mine.upperBound {
                let count = min(tileRows, mine.upperBound - row)
                let tile: UnsafePointer<Float>
                if isF32 {
                    tile = weight.data.assumingMemoryBound(to: Float.self) + row * weight.columns
                } else {
                    weight.dequantizeRows(row..<(row + count), into: tiles[part])
                    tile = UnsafePointer(tiles[part])
                }
                // output[v, row..<row+count] = input[v, :] · tile^T
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                            blasint(vectors), blasint(count), blasint(weight.columns),
                            1.0, input, blasint(inputStride), tile, blasint(weight.columns),
                            0.0, output + row, blasint(outputStride))
                row += count
            }
        }
    }

    private func ensureTileCapacity(_ floats: Int) {
        if floats <= tileCapacity { return }
        for tile in tiles { tile.deallocate() }
        tileCapacity = floats
        tiles = (0..<pool.threadCount).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: floats) }
    }
}
