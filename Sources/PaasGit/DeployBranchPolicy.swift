/// Which pushed refs deploy: only `main` or `master` (Heroku's rule); anything else is refused
/// with a message that says how to deploy it.
enum DeployBranchPolicy {
    /// The branches that deploy.
    static let deployBranches: Set<String> = ["main", "master"]

    /// What to do with a push's ref updates.
    enum Decision: Equatable {
        /// Deploy this update.
        case deploy(RefUpdate)
        /// Nothing to deploy (an empty push); let git go on.
        case nothing
        /// Refuse the whole push for this reason.
        case refuse(String)
    }

    static func decide(_ updates: [RefUpdate]) -> Decision {
        var deploys: [RefUpdate] = []
        for update in updates {
            guard let branch = update.branch, deployBranches.contains(branch) else {
                let name = update.branch ?? update.ref
                return .refuse(
                    "only main deploys: '\(name)' was not pushed. Run 'git push paas \(name):main' to deploy it")
            }
            if update.isDeletion {
                return .refuse("\(branch) cannot be deleted: it is what the app runs. Push a commit to it instead")
            }
            deploys.append(update)
        }
        guard deploys.count <= 1 else { return .refuse("push main or master, not both") }
        return deploys.first.map { .deploy($0) } ?? .nothing
    }
}
