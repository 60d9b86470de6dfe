from purposeful.cli import main

main()
