import Foundation

/// An `flock` of a file, held until the lock is released or goes away. SQLite's own locks
/// are `fcntl` locks, which `flock` does not touch: these order Takt's runs around the
/// history (see `PlanHistory`) without getting in SQLite's way.
final class FileLock: Sendable {
    let descriptor: Int32
    /// `errno` when the file could not be opened (no lock held then).
    let failure: Int32

    /// Locks `path`, exclusive or shared, waiting for other holders; `create` makes the
    /// file when missing. Opened without blocking, so a FIFO never hangs the run.
    init(_ path: String, exclusive: Bool, create: Bool = false) {
        descriptor = create ? open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0o644)
                            : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        failure = descriptor < 0 ? errno : 0
        if descriptor >= 0 { flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) }
    }

    var isHeld: Bool { descriptor >= 0 }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }
}
