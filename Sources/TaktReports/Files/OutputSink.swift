#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TaktModel
import TaktInput
import TaktPlanning

/// Where rendered output files go, one whole file at a time: memory (tests, benchmarks)
/// or a folder (the CLI, which renders straight into its temporary output folder so that
/// only one file's bytes are held at a time).
public protocol OutputSink {
    /// Stores `bytes` as the file `name` (a relative path; parent folders are created).
    mutating func put(_ name: String, _ bytes: [UInt8]) throws

    /// Stores the file `name` from the chunks `produce` emits, in order: a large file is
    /// never held whole.
    mutating func stream(_ name: String, _ produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void) throws

    /// A sink another thread may write other files into while this one goes on, or nil
    /// when every file must come through this one (the other thread then hands its
    /// chunks over).
    func concurrentSink() -> (any OutputSink & Sendable)?
}

extension OutputSink {
    public func concurrentSink() -> (any OutputSink & Sendable)? { nil }
}

/// Keeps every file in memory, by relative path.
public struct MemorySink: OutputSink {
    public var files: [String: [UInt8]] = [:]

    public init() {}

    public mutating func put(_ name: String, _ bytes: [UInt8]) throws { files[name] = bytes }

    public mutating func stream(_ name: String, _ produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void) throws {
        var whole: [UInt8] = []
        try produce { whole.append(contentsOf: $0) }
        files[name] = whole
    }
}

/// Writes each file under `folder` as soon as it is put, with POSIX calls (no `Data` copy).
public struct FolderSink: OutputSink, Sendable {
    public let folder: String

    public init(folder: String) { self.folder = folder }

    /// Each file has its own descriptor: another thread writes its files beside this one.
    public func concurrentSink() -> (any OutputSink & Sendable)? { self }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Creates `folder` itself (its parent must exist).
    public func makeFolder() throws {
        if mkdir(folder, 0o755) != 0 && errno != EEXIST { throw Failure(description: "\(folder): cannot create folder (\(IOReason.current()))") }
    }

    public mutating func put(_ name: String, _ bytes: [UInt8]) throws {
        try stream(name) { emit in try emit(bytes) }
    }

    public mutating func stream(_ name: String, _ produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void) throws {
        var path = folder
        let parts = name.split(separator: "/")
        for part in parts.dropLast() {
            path += "/" + part
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw Failure(description: "\(path): cannot create folder (\(IOReason.current()))")
            }
        }
        path += "/" + (parts.last.map(String.init) ?? name)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Failure(description: "\(path): cannot write (\(IOReason.current()))") }
        defer { close(fd) }
        try produce { bytes in
            var offset = 0
            try bytes.withUnsafeBytes { buffer in
                while offset < buffer.count {
                    let count = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0 {
                        if errno == EINTR { continue }
                        throw Failure(description: "\(path): cannot write (\(IOReason.current()))")
                    }
                    offset += count
                }
            }
        }
    }
}
