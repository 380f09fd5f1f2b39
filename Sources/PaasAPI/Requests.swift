/// Body of `PATCH /v1/apps/{app}/config-vars`: a value sets a var, `null` unsets it.
public typealias ConfigVarsUpdate = [String: String?]

/// Body of `PATCH /v1/apps/{app}/formation`: process type → quantity, e.g. `{"web": 2}`.
public typealias FormationUpdate = [String: Int]
