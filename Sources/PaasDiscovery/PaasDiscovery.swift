/// PaasDiscovery: see Package.swift. (Placeholder until discovery lands.)
enum PaasDiscoveryModule {}
