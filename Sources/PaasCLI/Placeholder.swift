import PaasClient
