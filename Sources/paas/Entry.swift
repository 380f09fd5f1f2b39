// The `paas` executable: everything lives in PaasCLI (STYLE.md: executables stay thin).
import PaasCLI

@main
enum Entry {
    static func main() async {
        await PaasCommand.launch()
    }
}
