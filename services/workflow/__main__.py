from services.workflow.entrypoints.main import main

main()
