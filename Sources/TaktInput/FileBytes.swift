#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TaktModel

/// Reads a whole file into bytes with POSIX calls: one allocation of the file's size, no
/// `Data` copy (and none of Foundation's leak on empty files, found by fuzzing).
#if canImport(Glibc)
private let readFile = Glibc.read
#else
private let readFile = Darwin.read
#endif

package enum FileBytes {
    package enum Failure: Error { case missing, folder, notRegular, unreadable }

    package static func read(_ path: String) -> Result<[UInt8], Failure> {
        // A FIFO or device (a link to /dev/zero) would block or never end: regular files only.
        var pathInfo = stat()
        if stat(path, &pathInfo) == 0 && (pathInfo.st_mode & S_IFMT) != S_IFREG && (pathInfo.st_mode & S_IFMT) != S_IFDIR {
            return .failure(.notRegular)
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return .failure(errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable) }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .failure(.folder) }
        // Straight into a buffer of the file's size (a second buffer and a copy per
        // chunk cost a fresh mapping's page faults and a pass over the bytes at 1M items);
        // a file that grows while read goes on in chunks.
        let size = Int(info.st_size)
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                // At most 1 GiB a call: macOS refuses a read of more than 2 GiB at once.
                let got = readFile(fd, buffer.baseAddress! + count, min(size - count, 1 << 30))
                if got < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                if got == 0 { return }
                count += got
            }
        }
        guard !failed else { return .failure(.unreadable) }
        if bytes.count == size {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = chunk.withUnsafeMutableBytes { readFile(fd, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    return .failure(.unreadable)
                }
                if count == 0 { break }
                bytes.append(contentsOf: chunk[0..<count])
            }
        }
        return .success(bytes)
    }
}
