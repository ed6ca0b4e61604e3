from sparbot.cli import main

main()
