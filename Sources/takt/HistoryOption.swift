import ArgumentParser
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun
import TaktGenerate

/// `--history FILE` of `plan` and `whatif`: opens the file and reads what the runs before
/// `model`'s plan date said; exit 2 with the reason when the file cannot be used.
func openHistory(_ path: String, model folder: String, out: String, plan: PlanningModel) throws -> (PlanHistory, PreviousRun) {
    if let problem = PlanHistory.placeProblem(path, model: folder, out: out) {
        printError(problem)
        throw ExitCode(2)
    }
    do {
        let history = try PlanHistory(path: path)
        return (history, try history.previous(before: plan.plan.start))
    } catch let problem as PlanHistory.Problem {
        printError(problem.description)
        throw ExitCode(2)
    }
}

/// The `--previous` folder's run; its files unreadable stop the run (exit 2), before
/// anything is planned or recorded.
func readPrevious(_ folder: String) throws -> PreviousRun {
    do {
        return try PreviousRun.load(folder: folder)
    } catch let problem as PreviousRun.Unreadable {
        printError(problem.description)
        throw ExitCode(2)
    }
}

/// Last week's run: the `--previous` folder's when given, else the history's latest earlier
/// run; the history's trail and risk deadlines either way.
func lastWeek(folder: PreviousRun?, history: PreviousRun?) -> PreviousRun? {
    guard var last = folder else { return history }
    if let history {
        last.trail = history.trail
        last.riskStates = history.riskStates
    }
    return last
}

/// Appends the finished run to the history (its files are in place); returns the line
/// that says so.
func record(_ result: PlanResult, in history: PlanHistory) throws -> String {
    // Closed either way: a transaction that failed (a full disk) leaves its log truncated.
    defer { history.close() }
    do {
        Trace.mark("history: recording")
        let replaced = try history.record(result)
        Trace.mark("history: recorded")
        Trace.mark("history: closed")
        return "history: \(replaced ? "replaced the run" : "recorded the run") of \(result.model.plan.start) in \(history.path)"
    } catch let problem as PlanHistory.Problem {
        printError(problem.description)
        throw ExitCode(2)
    }
}
