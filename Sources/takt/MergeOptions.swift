import ArgumentParser
import TaktInput

/// The arguments of `takt simulate merge` and `takt whatif merge`: the shards' folders
/// (`--shard 1/K` … `K/K`) and the folder the merge writes.
struct MergeOptions: ParsableArguments {
    @Argument(help: "The shards' output folders (--shard I/K runs).")
    var shards: [String]

    @OptionGroup var output: OutputFolderOptions

    @Flag(help: "Print only errors.")
    var quiet = false

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give at least one shard folder") }
    }

    /// Each shard's `summary.json` read by `read`, the set checked by `problem` and `--out`
    /// checked; exit 2 naming the first folder that is not a shard, or the problem.
    func parts<Shard>(not message: String, _ read: ([UInt8]) -> Shard?,
                      problem: ([Shard], [String]) -> String?) throws -> [Shard] {
        let parts = try shards.map { folder in
            guard case .success(let bytes) = FileBytes.read(folder + "/summary.json"), let shard = read(bytes) else {
                printError("\(folder): \(message)")
                throw ExitCode(2)
            }
            return shard
        }
        if let problem = problem(parts, shards) {
            printError(problem)
            throw ExitCode(2)
        }
        try checkOutput(output.out, models: [], inputs: shards, force: output.force)
        return parts
    }
}
