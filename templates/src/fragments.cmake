# Named XPath fragments of the templates. XPath 1.0 inside XDT has no variables, so the templates in
# this folder write @NAME@ where a fragment belongs and generate.cmake pastes it in (fragments may
# use other fragments). Bracket arguments ([==[ ... ]==]) keep every character as written.

# An httpPlatform that is not ours: ours is the one whose processPath names ptvsd-proxy.
fragment(SITE_PLATFORM [==[httpPlatform[not(contains(@processPath,'ptvsd-proxy'))]]==])

# "The site has its own httpPlatform": at the application level, directly or in a <location> that
# means the application itself (no path, an empty one or ".").
fragment(SITE_HAS_PLATFORM [==[/configuration/system.webServer/@SITE_PLATFORM@ | /configuration/location[not(@path) or @path='' or @path='.']/system.webServer/@SITE_PLATFORM@]==])

# Case A: the application-level system.webServer of a site without an httpPlatform of its own.
fragment(CASE_A_SERVER [==[/configuration/system.webServer[not(@SITE_HAS_PLATFORM@)]]==])
# Case B: /configuration of a site with an httpPlatform of its own.
fragment(CASE_B_CONFIGURATION [==[/configuration[@SITE_HAS_PLATFORM@]]==])

# Our httpPlatform, as the templates write it; every attribute a name="value" pair on its own
# (OUR_PLATFORM_IS_CURRENT below is derived from this text).
fragment(OUR_PLATFORM_ATTRIBUTES [==[processPath=".\bin\ptvsd-proxy.exe" arguments="--debugger 127.0.0.1:5678"
                    processesPerApplication="1" startupTimeLimit="20" startupRetryCount="3"
                    requestTimeout="00:30:00"
                    stdoutLogEnabled="true" stdoutLogFile=".\bin\ptvsd-proxy-log"]==])
# A predicate on an httpPlatform: exactly those attributes, nothing inside.
exact_element_test(OUR_PLATFORM_IS_CURRENT "${PTVSD_FRAGMENT_OUR_PLATFORM_ATTRIBUTES}")
# Case A where our httpPlatform is missing or not exactly the current one.
fragment(CASE_A_SERVER_WITH_STALE_PLATFORM [==[@CASE_A_SERVER@[httpPlatform[not(@OUR_PLATFORM_IS_CURRENT@)]]]==])

# The first child that is not a <clear/> and comes after the last one: where a new first entry of
# a handlers or rules list goes.
fragment(FIRST_AFTER_CLEAR [==[*[not(self::clear)][not(following-sibling::clear)][1]]==])

# X where there is one, else the scratch element (see the templates' header comments).
scratch_fallback(CASE_A_SERVER_OR_SCRATCH [==[@CASE_A_SERVER@]==])
scratch_fallback(CASE_A_SERVER_WITH_STALE_PLATFORM_OR_SCRATCH [==[@CASE_A_SERVER_WITH_STALE_PLATFORM@]==])
scratch_fallback(CASE_B_CONFIGURATION_OR_SCRATCH [==[@CASE_B_CONFIGURATION@]==])
scratch_fallback(CASE_B_HANDLERS_OR_SCRATCH [==[@CASE_B_CONFIGURATION@/system.webServer/handlers]==])
scratch_fallback(RULES_OR_SCRATCH [==[/configuration/system.webServer/rewrite/rules]==])
scratch_fallback(HTTP_RUNTIME_WITHOUT_FRAMEWORK_OR_SCRATCH
                 [==[/configuration/system.web/httpRuntime[not(@targetFramework)]]==])

# The rewrite block both templates share: a stopProcessing rule for /ptvsd ahead of the site's
# first rule, placed the same way as the handler.
fragment(PTVSD_REWRITE_RULE [==[  <rules xdt:Locator="XPath(@RULES_OR_SCRATCH@)">
    <rule name="ptvsd" xdt:Transform="Insert"/>
    <rule name="ptvsd" stopProcessing="true" ptvsd-publish-new=""
          xdt:Transform="InsertBefore(@RULES_OR_SCRATCH@/@FIRST_AFTER_CLEAR@)">
      <match url="^ptvsd(/.*)?$"/>
      <action type="None"/>
    </rule>
    <rule xdt:Transform="RemoveAll" xdt:Locator="Condition(@name='ptvsd' and not(@ptvsd-publish-new))"/>
    <rule xdt:Transform="RemoveAttributes(ptvsd-publish-new)" xdt:Locator="Condition(@ptvsd-publish-new)"/>
  </rules>]==])
