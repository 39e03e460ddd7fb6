import TaktModel
import TaktInput

extension Planner {
    /// Loads the model in `folder` (`ModelLoader.load`), then, when the model is to be
    /// planned (`planning`), hands back to the system what reading it left in the heap (the
    /// files' bytes and parsed columns, about 512 bytes an item) before planning starts:
    /// `takt check` exits instead (the trim is 25 ms at 1M items).
    public static func load(folder: String, digests: Bool = true, planning: Bool = true) throws -> PlanningModel {
        let model = try ModelLoader.load(folder: folder, digests: digests, workers: CoreWorkers())
        if planning { FreedMemory.release(about: model.items.count * 512) }
        return model
    }
}
