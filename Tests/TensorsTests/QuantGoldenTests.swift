import CKernels
import Testing

/// Bytes GGML's own reference quantisers (quantize_row_*_ref in ggml-quants.c, ggml-org/ggml at
/// d99724f, compiled with clang -O2 and no FMA contraction) wrote for one fixed input. They pin
/// the whole search (make_qkx2_quants / make_qx_quants and the 6-bit scale packing), not just
/// the error bounds: ck_quantize must reproduce them byte for byte.
@Suite("Quantisers against GGML's bytes")
struct QuantGoldenTests {
    /// 256 values: an irregular sawtooth, a quiet sub-block and an offset one.
    static let input: [Float] = (0..<256).map { i in
        var v = Float(((i * 7919) % 1021) - 510) / 97
        if (64..<96).contains(i) { v = v * 0.01 }
        if (160..<192).contains(i) { v = v * 0.25 + 2 }
        return v
    }

    static let expected: [(KType, String)] = [
        (.q4_0,
            "423920eca86420eda96521edb97531fdb9753f39531fdb97541fdc985420eca86420eda9b41e86420fcb87430fdb9753" +
            "1fdb97541fdc3a39b97532feba7642feca86420fcb87430fcbb81367acef13579bef02569bdf02469adf87b660123345" +
            "6611234566112344560123443539430fdb97531fdb97541fdc986420eca832398642feca86420fcb87430fdb97531fdb"),
        (.q4_1,
            "353942c520eca86420eda96521fdb97531fdb9767a393fc5531fcb97531fdb985420dc986420eca8021fb4aa76420eca" +
            "86430eca87531fcb97531fdb7a393ac5a97531fdb97632fdba86420eca86430e1239b6c4eca86420eda96420fdb96521" +
            "fdb975317a3191391fdb985420dc986420eca86521eca9657a3935c5430eca87531fcb97531fdb975420dc987a3932c5" +
            "7632fdba76420eca86430eca87531fcb"),
        (.q5_0,
            "42356666666630b840c941c941d952da52da52eb63eb3f35e6cccccc962fa72fa72fb730b830b840c941c941b41acccc" +
            "99990d850d850d951e961e962fa72fa72fb83a359999993363eb63fb74fc74fc840d850d851d951ecbb4cccccccc36bf" +
            "47cf25ae36bf149d25be039c15ad87b200000000c0235689bd235689bc134689bc124578353566cecccc961e961e962f" +
            "a72fa72fb830b830c8413235cccc9c99fc74fc850d850d951d961e961e962fa7"),
        (.q5_1,
            "0a3542c56666666630d941c941da52da52eb63eb62fc74fb4d353fc5e6cccccc962ea62fa72fa730b830b830c941c941" +
            "c91ab4aacccc9899fc850d850d951d961e962ea62fa72fa74d353ac59999993363eb63eb63fc74fc740c850d850d951d" +
            "e834b6c433333333c941c830da52d941eb62da52fc73eb634d2d9139676666662fa730b830b830c941c941c952da52da" +
            "4d3535c566c6cccc951d961e962ea62fa72fa73fb830b8304d3532c5cccc8c99fc74fc74fc850d850d951d961e962ea6"),
        (.q8_0,
            "4d29814103c5874709cb8d4e10d2945416d89a5a1cdea06022e4a66729ebad6d2ff14a29b37335f7b97a3bfdbf814203" +
            "c587480acc8d4e10d2945416d89a5b1cdea06123c20ee5a66729ebac6e2ff1b37435f7b97a3cfebf814204c587480acc" +
            "8d4f10d29455452917d89a5b1ddea06123e5a66829ebad6e30f1b37436f7b97a3cfebf814204c687d5284f0bc7835612" +
            "ce8a5d19d5916420dc986b27e39e712de9a57834f0ac7f3bf7b394267f664d341b6950371e6b5239206e553c2370573e" +
            "25735a4128755c432a785f463f29ad6f30f2b37537f8b97b3dfec0814305c687490bcc8e5011d2945617d99a5c1e3d29" +
            "dfa06324e5a7692aecad6f31f2b37637f8b97c3dfec0814405c6874a0bcc8e50"),
        (.q4_K,
            "78214d2dfc7ec1feff3ec1fd8a04dfee30fcb87430fdb985410dc985410eca86421eda96521eda96521fdba7632feba7" +
            "97541cd997652ceaa7652ceaa7652ceab87533fab87533fbb876430bc886440bfcc894603dd9a4704dd9a5714ed9a571" +
            "4edaa6724eeab6825febb7825febb783622eeaa7632feba7633ffbb77430fcb87430fcc884410cc985410dc985511dd9"),
        (.q5_K,
            "6c1d5c2dfb7fc1ffff3fc1ff8a04efff3873e78c1873e78c1871e78e1831e7ce1c31e3ce9c3163ee9c3963e69c3963e6" +
            "60ea61f971fa72fa820b830b931c941c932d952ca42ea53db53eb63ec64fc74f3eb938b33ec948c34fca59d45fda69d4" +
            "60eb66e560fb76f5710c8706810c9716f99138d07a9139d17ba24ae28cb35be28cb45cf39dc56c04aec66d05afd77e16" +
            "c54dc54ed65ed65fd76fd76fe860e870f871f971098209820a921a921b932ba3"),
        (.q6_K,
            "90d0013172b20213539304f4357505d6feb6085a1cd406783af20496581002b49dcded6e8eaecf4f6080a02141628202" +
            "c1c0d6d4d3e2e7f6f5f4090817151b2ab4c3c2c1d5d4e4e3e7f6f5040908171616173738343556464343646561628283" +
            "91a75d6379863c4369762c3248550b11e7e2f9ff0601081f1511273e3530374d60bfca1560bfca1564b3ce0964b3ce09" +
            "97400dfaa7400dfaa7404d3ae7904d3a83f2215487f2215487f2216497c231645401f2a3944132e3944132e3944132e3" +
            "806e808d01ff6e818b77514a828574824c95"),
    ]

    @Test("ck_quantize writes GGML's reference bytes", arguments: 0..<8)
    func goldenBytes(index: Int) throws {
        let (type, hex) = Self.expected[index]
        let want = try #require(bytes(hex))
        var got = [UInt8](repeating: 0, count: want.count)
        #expect(ck_quantize(type.rawValue, Self.input, &got, 256) == want.count)
        let differing = zip(got, want).filter { $0 != $1 }.count
        #expect(got == want, "\(type): \(differing) bytes differ")
    }

    private func bytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        return stride(from: 0, to: digits.count, by: 2).map { i in
            UInt8(String(decoding: digits[i..<(i + 2)], as: UTF8.self), radix: 16)!
        }
    }
}
