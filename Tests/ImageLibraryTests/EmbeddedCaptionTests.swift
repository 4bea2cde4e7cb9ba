import Testing
@testable import ImageLibrary

@Suite struct EmbeddedCaptionTests {
    @Test func readsAShortDescriptionStoredInsideTheEntry() {
        for bigEndian in [false, true] {
            let payload = TestImages.exifPayload(description: "Hi", bigEndian: bigEndian)
            let jpeg = TestImages.withAPP1(TestImages.jpeg(seed: 1), payload: payload)
            #expect(EmbeddedCaption.find(in: jpeg)?.caption == "Hi")
            #expect(EmbeddedCaption.find(in: jpeg)?.source == .exif)
        }
    }

    @Test func damagedMetadataGivesNoCaption() {
        var payload = TestImages.exifPayload(description: "A long enough description", bigEndian: false)
        // Point the string's offset far past the block.
        payload[6 + 18] = 0xFF
        payload[6 + 19] = 0xFF
        let jpeg = TestImages.withAPP1(TestImages.jpeg(seed: 1), payload: payload)
        #expect(EmbeddedCaption.find(in: jpeg) == nil)
        // Every truncation of a file with metadata is handled without a crash.
        let full = TestImages.withAPP1(TestImages.jpeg(seed: 2),
                                       payload: TestImages.exifPayload(description: "words here", bigEndian: true))
        for length in stride(from: 0, to: 120, by: 1) { _ = EmbeddedCaption.find(in: Array(full.prefix(length))) }
        #expect(EmbeddedCaption.find(in: Array("plain text".utf8)) == nil)
    }

    @Test func xmpEntitiesAndPlainDescriptions() {
        #expect(XMPDescription.find(in: ArraySlice(TestImages.xmpPacket(description: "a &lt;b&gt; &#233;&#x41; &unknown;").utf8))
                == "a <b> éA &unknown;")
        #expect(XMPDescription.find(in: ArraySlice("<dc:description>plain words</dc:description>".utf8)) == "plain words")
        #expect(XMPDescription.find(in: ArraySlice("<dc:description/>".utf8)) == nil)
        #expect(XMPDescription.find(in: ArraySlice("<dc:description><rdf:li>unterminated".utf8)) == nil)
    }
}
