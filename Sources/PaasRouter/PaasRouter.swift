/// PaasRouter: see Package.swift. (Placeholder until the router lands.)
enum PaasRouterModule {}
