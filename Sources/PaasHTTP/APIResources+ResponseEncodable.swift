import Hummingbird
import PaasAPI

// The API's resources are answers of the services' routes; declared once here for all of them.
extension AppResource: ResponseEncodable {}
extension ReleaseResource: ResponseEncodable {}
extension FormationResource: ResponseEncodable {}
extension DomainResource: ResponseEncodable {}
extension AppNetworkResource: ResponseEncodable {}
extension EventResource: ResponseEncodable {}
extension AccountResource: ResponseEncodable {}
extension HealthResource: ResponseEncodable {}
extension BuildResource: ResponseEncodable {}
extension ProcessResource: ResponseEncodable {}
extension HostResource: ResponseEncodable {}
extension CertificateResource: ResponseEncodable {}
extension RouteTableResource: ResponseEncodable {}
extension AddonResource: ResponseEncodable {}
extension AddonBackupResource: ResponseEncodable {}
extension StackResource: ResponseEncodable {}
