import TaktModel
import TaktInput

extension Planner {
    /// Loads the model in `folder` (`ModelLoader.load`), then hands back to the system
    /// what reading it left in the heap (the files' bytes and parsed columns, about 512
    /// bytes an item) before planning starts.
    public static func load(folder: String, digests: Bool = true) throws -> PlanningModel {
        let model = try ModelLoader.load(folder: folder, digests: digests, workers: CoreWorkers())
        FreedMemory.release(about: model.items.count * 512)
        return model
    }
}
