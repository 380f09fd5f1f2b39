/// PaasAddons: see Package.swift. (Placeholder until add-ons land.)
enum PaasAddonsModule {}
