# The docs' first program, written the way a beginner would: a main function and the usual guard.
def main():
    count = getLEDCount()
    setLEDs([BLUE] * count)


if __name__ == "__main__":
    main()
