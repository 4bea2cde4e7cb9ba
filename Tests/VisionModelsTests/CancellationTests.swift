import Engine
import ImageIO
import Tensors
import Testing
import VisionModels

/// Ctrl-C during an image encoding: the encoder polls its cancel check before every ViT block and
/// every Q-Former layer, stops at the first `true` and stays usable afterwards.
@Suite struct CancellationTests {
    static let pool = ComputePool(threadCount: 2)

    /// Four ViT blocks and two Q-Former layers, small enough to encode in milliseconds.
    static let configuration: VisionConfiguration = {
        var c = VisionConfiguration.xcomposerV1
        c.imageSize = 28
        c.visionWidth = 64
        c.visionBlockCount = 4
        c.visionHeadCount = 4
        c.visionFeedForwardLength = 128
        c.qformerWidth = 64
        c.qformerBlockCount = 2
        c.qformerHeadCount = 4
        c.qformerFeedForwardLength = 128
        c.encoderWidth = 64
        c.queryCount = 4
        c.languageWidth = 32
        return c
    }()

    static let image: RGBAImage = {
        var pixels: [UInt8] = []
        for i in 0..<(40 * 40) { pixels += [UInt8(i % 256), UInt8((i * 7) % 256), UInt8((i * 13) % 256), 255] }
        return RGBAImage(width: 40, height: 40, pixels: pixels)
    }()

    @Test func checksBeforeEveryBlockAndLayer() throws {
        let model = try XComposerVisionModel.synthetic(configuration: Self.configuration, pool: Self.pool)
        var checks = 0
        _ = try model.encode(Self.image, shouldCancel: { checks += 1; return false })
        #expect(checks == Self.configuration.visionBlockCount + Self.configuration.qformerBlockCount)
    }

    @Test(arguments: [1, 3, 5])
    func stopsAtTheFirstCancelledCheck(at stop: Int) throws {
        let model = try XComposerVisionModel.synthetic(configuration: Self.configuration, pool: Self.pool)
        var checks = 0
        #expect(throws: VisionCancelled.self) {
            _ = try model.encode(Self.image, shouldCancel: { checks += 1; return checks >= stop })
        }
        // Nothing ran after the check that said stop: no further block polled again.
        #expect(checks == stop)
    }

    @Test func aFlagSetFromAnotherThreadStopsTheEncoding() throws {
        let model = try XComposerVisionModel.synthetic(configuration: Self.configuration, pool: Self.pool)
        let flag = CancelFlag()
        flag.cancel()
        #expect(throws: VisionCancelled.self) {
            _ = try model.encode(Self.image, shouldCancel: { flag.isCancelled })
        }
    }

    @Test func encodesNormallyAfterACancelledEncoding() throws {
        let model = try XComposerVisionModel.synthetic(configuration: Self.configuration, pool: Self.pool)
        let expected = try model.encode(Self.image)
        var checks = 0
        _ = try? model.encode(Self.image, shouldCancel: { checks += 1; return checks == 2 })
        let again = try model.encode(Self.image)
        #expect(again == expected)
        #expect(again.count == Self.configuration.imageEmbeddingCount)
    }
}
