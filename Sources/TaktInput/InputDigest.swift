import Crypto
import TaktModel

/// SHA-256 of the input files, for `summary.json` (contract §4), from swift-crypto
/// (BoringSSL's SHA-256, with the CPU's SHA instructions where it has them).
public enum InputDigest {
    /// The digest as 64 lowercase hex digits.
    public static func hex(_ message: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in Crypto.SHA256.hash(data: message) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
